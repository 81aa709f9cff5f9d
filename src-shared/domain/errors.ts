import { z } from 'zod';
import { plainText } from '../plain-text.ts';

/** Every failure the app can report. Codes survive IPC, the web socket and the CLI's --json output. */
export const ErrorCode = z.enum([
  'bad-input',
  'unsupported-id',
  'not-found',
  'auth-rejected',
  'auth-missing',
  'forbidden',
  'restricted',
  'server-error',
  'network',
  'bad-response',
  'url-expired',
  'checksum-mismatch',
  'unverifiable',
  'range-unsupported',
  'stalled',
  'disk-full',
  'path-unsafe',
  'io-error',
  'in-use',
  'canceled',
  'keychain-unavailable',
  'keypairs-invalid',
  'not-implemented',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorInfo = z.object({ code: ErrorCode, message: z.string() });
export type ErrorInfo = z.infer<typeof ErrorInfo>;

/** An error as a value: a code a program can branch on and a message a person can act on. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    // Messages quote what servers said: no control character ever reaches a terminal, notification or the UI.
    super(plainText(message), options);
    this.name = 'AppError';
    this.code = code;
  }
  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Turns anything thrown into an ErrorInfo without leaking stack traces or request details. */
export function toErrorInfo(value: unknown): ErrorInfo {
  if (value instanceof AppError) return value.toInfo();
  const message = value instanceof Error ? value.message : String(value);
  return { code: 'internal', message: plainText(`Unexpected error: ${message}`) };
}
