import { toErrorInfo } from '../../src-shared/domain/errors.ts';
import {
  type InvokeChannel,
  type InvokeOutput,
  type InvokeParsedInput,
  type InvokeResult,
  invoke,
  isInvokeChannel,
} from '../../src-shared/ipc/contract.ts';

/** One handler per contract channel: leaving one out is a compile error where the handlers are built. */
export type Handlers = {
  [C in InvokeChannel]: (input: InvokeParsedInput<C>) => Promise<InvokeOutput<C>>;
};

export interface Router {
  /** Checks the channel, parses the input with its schema, runs the handler; never throws. */
  call(channel: unknown, input: unknown): Promise<InvokeResult<InvokeChannel>>;
}

export function createRouter(handlers: Handlers): Router {
  return new ContractRouter(handlers);
}

/** A class, not a closure, so tests can check every output against the contract (test/support/contract-check.ts). */
export class ContractRouter implements Router {
  private readonly handlers: Handlers;

  constructor(handlers: Handlers) {
    this.handlers = handlers;
  }

  async call(channel: unknown, input: unknown): Promise<InvokeResult<InvokeChannel>> {
    if (!isInvokeChannel(channel)) {
      return {
        ok: false,
        error: { code: 'bad-input', message: `Unknown channel: ${String(channel).slice(0, 100)}` },
      };
    }
    const parsed = invoke[channel].input.safeParse(input ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      return {
        ok: false,
        error: {
          code: 'bad-input',
          message: `Invalid input for ${channel}${where}: ${issue?.message ?? 'rejected'}`,
        },
      };
    }
    try {
      const handler = this.handlers[channel] as (input: unknown) => Promise<InvokeOutput<InvokeChannel>>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      return { ok: false, error: toErrorInfo(error) };
    }
  }
}
