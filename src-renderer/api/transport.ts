import type { ErrorCode, ErrorInfo } from '../../src-shared/domain/errors.ts';
import type {
  EventName,
  EventPayload,
  InvokeChannel,
  InvokeInput,
  InvokeOutput,
  InvokeResult,
} from '../../src-shared/ipc/contract.ts';

/** Where the UI stands with the core: only the web transport ever leaves 'open'. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The one door from the UI to the core: Electron IPC, the web host's socket, or a fake in tests. */
export interface Transport {
  /** Rejects with an ApiError when the core answers { ok: false } or the connection drops. */
  invoke<C extends InvokeChannel>(channel: C, input: InvokeInput<C>): Promise<InvokeOutput<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Connection changes, for transports that can lose theirs; the listener gets the current state at once. */
  onConnection?(listener: (state: ConnectionState) => void): () => void;
}

/** An error value from the core (or the connection), with the code intact. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
  static from(info: ErrorInfo): ApiError {
    return new ApiError(info.code, info.message);
  }
}

/** Unwraps a transport result: the value, or an ApiError thrown with the core's code and message. */
export function unwrap<C extends InvokeChannel>(result: InvokeResult<C>): InvokeOutput<C> {
  if (result.ok) return result.value;
  throw ApiError.from(result.error);
}

/** A message fit to show, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
