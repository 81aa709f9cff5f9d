import { AppError } from '../../../src-shared/domain/errors.ts';
import type { KeyTestResult } from '../../../src-shared/domain/profile.ts';
import { plainText } from '../../../src-shared/plain-text.ts';
import { hostOf } from '../http/credentials.ts';
import { HttpClient } from '../http/http-client.ts';
import type { TestKey } from './credential-store.ts';

export interface SessionCheckOptions {
  timeoutMs?: number;
  userAgent?: string;
}

/**
 * The default TestKey: `GET <server>/session-properties` with the key, the portal's cheapest credential check
 * (200 with the user's details, 401 for a bad key). Through the shared HttpClient, so Basic auth goes to the
 * key's own origin only; no retries and no redirects: the answer is wanted now.
 */
export function createSessionCheck(options: SessionCheckOptions = {}): TestKey {
  const timeoutMs = options.timeoutMs ?? 15_000;
  return async (credentials) => {
    const client = new HttpClient({ credentials, timeouts: { request: timeoutMs } });
    const server = client.credentials?.server ?? credentials.server;
    const host = hostOf(server);
    let response: { status: number; body: Buffer };
    try {
      response = await client.request(`${server}/session-properties`, {
        ...(options.userAgent ? { headers: { 'user-agent': options.userAgent } } : {}),
        followRedirects: false,
        retry: false,
        what: 'the key check (/session-properties)',
      });
    } catch (error) {
      if (error instanceof AppError) return { ok: false, code: error.code, message: error.message };
      throw error;
    }
    return interpret(host, response.status, response.body.toString('utf8'));
  };
}

function interpret(host: string, status: number, body: string): KeyTestResult {
  if (status === 200) {
    const session = jsonObject(body);
    if (session) {
      const email = emailIn(session);
      return email === undefined ? { ok: true } : { ok: true, email };
    }
  }
  if (status === 401) {
    return {
      ok: false,
      code: 'auth-rejected',
      message: `Key rejected by ${host}: check the key id and secret, or create a new key on the portal (Profile, Add Access Key).`,
    };
  }
  if (status === 403) {
    return { ok: false, code: 'forbidden', message: `${host} refused the key (403).` };
  }
  if (status >= 500) {
    return {
      ok: false,
      code: 'server-error',
      message: `${host} had a server error (${status}); try again later.`,
    };
  }
  return {
    ok: false,
    code: 'bad-response',
    message: `${host} answered /session-properties with ${status === 200 ? 'something other than JSON' : status}: is it a 4DN portal?`,
  };
}

function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const data: unknown = JSON.parse(body);
    if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
  } catch {
    /* not JSON: not a portal's answer */
  }
  return undefined;
}

/** The email at the top level, or under `details` or the embedded `user`, as portal builds differ. */
function emailIn(session: Record<string, unknown>): string | undefined {
  for (const holder of [session, session.details, session.user]) {
    const email =
      holder && typeof holder === 'object' ? (holder as Record<string, unknown>).email : undefined;
    if (typeof email === 'string') return plainText(email);
  }
  return undefined;
}
