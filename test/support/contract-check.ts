import type { z } from 'zod';
import type { Handlers } from '../../src-main/core/router.ts';
import { type InvokeChannel, invoke } from '../../src-shared/ipc/contract.ts';

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
    throw new Error(`${where} does not match the contract: ${parsed.error.issues[0]?.message ?? 'rejected'}`);
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
