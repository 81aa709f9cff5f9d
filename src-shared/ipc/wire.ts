import { z } from 'zod';
import type { InvokeChannel, InvokeResult } from './contract.ts';

/**
 * Frames on the web host's WebSocket. The same router serves Electron's ipcMain; only the framing differs.
 * client -> server: invoke;  server -> client: result (answers an invoke by id) and event (pushed).
 */
export const ClientFrame = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  input: z.unknown(),
});
export type ClientFrame = z.infer<typeof ClientFrame>;

export type ServerFrame =
  | { type: 'result'; id: number; result: InvokeResult<InvokeChannel> }
  | { type: 'event'; name: string; payload: unknown };

/** The path of the socket on the web host; the token rides in the query string (?token=...). */
export const WIRE_PATH = '/api';
