import type { z } from 'zod';
import { EventHub } from '../../src-main/core/events.ts';
import { ContractRouter, type Handlers } from '../../src-main/core/router.ts';
import { type EventName, events, type InvokeChannel, invoke } from '../../src-shared/ipc/contract.ts';

/** JSON with keys sorted, so a value and its parse compare equal whatever order the schema lists keys in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/**
 * Throws unless `value` parses with `schema` and survives the parse unchanged: zod drops keys a schema does not
 * name, so any field the contract does not list (a secret, say) fails here instead of reaching an adapter.
 */
export function assertMatchesContract(schema: z.ZodType, value: unknown, where: string): void {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new Error(`${where} does not match the contract${at}: ${issue?.message ?? 'rejected'}`);
  }
  if (canonical(parsed.data) !== canonical(value)) {
    throw new Error(`${where} carries fields the contract does not name: ${canonical(value).slice(0, 300)}`);
  }
}

/** Handlers whose every output is checked against its channel's output schema (see assertMatchesContract). */
export function checkedHandlers<H extends Partial<Handlers>>(handlers: H): H {
  const out: Record<string, unknown> = {};
  for (const [channel, handler] of Object.entries(handlers)) {
    const run = handler as (input: unknown) => Promise<unknown>;
    out[channel] = async (input: unknown) => {
      const value = await run(input);
      assertMatchesContract(invoke[channel as InvokeChannel].output, value, `${channel}'s output`);
      return value;
    };
  }
  return out as H;
}

/**
 * Contract breaches seen by the instrumented EventHub and router since the last take. Recorded rather than
 * thrown where they happen: an emit inside the engine that threw would be caught there and show up, if at
 * all, as some other failure. The setup file fails the test that produced them (failOnContractViolations).
 */
const violations: string[] = [];
/** Enough to diagnose; an event broken in a loop would otherwise pile up thousands of copies. */
const MAX_KEPT = 20;

function record(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (violations.length < MAX_KEPT) violations.push((error as Error).message);
  }
}

export function takeContractViolations(): string[] {
  return violations.splice(0);
}

/** Throws with every breach recorded since the last take (and forgets them); run after each test. */
export function failOnContractViolations(): void {
  const found = takeContractViolations();
  if (found.length > 0) {
    throw new Error(`Contract violated under test (${found.length}):\n${found.join('\n')}`);
  }
}

let installed = false;

/**
 * Every event any EventHub emits in this process is parsed with its schema, and every value any router
 * returns with its channel's output schema: in tests the contract is checked at runtime, not only typed.
 * Installed once per test file by test/support/contract-setup.ts.
 */
export function checkContractAtRuntime(): void {
  if (installed) return;
  installed = true;
  const emit = EventHub.prototype.emit;
  EventHub.prototype.emit = function checkedEmit<E extends EventName>(
    this: EventHub,
    name: E,
    payload: Parameters<EventHub['emit']>[1],
  ): void {
    record(() => {
      const schema = Object.hasOwn(events, name) ? events[name] : undefined;
      if (!schema) throw new Error(`event ${String(name)} is not in the contract`);
      assertMatchesContract(schema, payload, `event ${name}`);
    });
    emit.call(this, name, payload as never);
  };
  const call = ContractRouter.prototype.call;
  ContractRouter.prototype.call = async function checkedCall(this: ContractRouter, channel, input) {
    const result = await call.call(this, channel, input);
    if (result.ok) {
      const output = invoke[channel as InvokeChannel].output;
      record(() => assertMatchesContract(output, result.value, `${String(channel)}'s output`));
    }
    return result;
  };
}
