import got, { type RequestError } from 'got';
import type { KeyTestResult } from '../../../src-shared/domain/profile.ts';
import { plainText } from '../../../src-shared/plain-text.ts';
import type { Credentials, TestKey } from './credential-store.ts';

export interface SessionCheckOptions {
  timeoutMs?: number;
  userAgent?: string;
}

/** Basic auth exactly as the portal documents it (and as `curl --user key:secret` sends it). */
export function basicAuthorization(credentials: Pick<Credentials, 'keyId' | 'secret'>): string {
  return `Basic ${Buffer.from(`${credentials.keyId}:${credentials.secret}`).toString('base64')}`;
}

/**
 * The default TestKey: `GET <server>/session-properties` with the key, the portal's cheapest credential check
 * (200 with the user's details, 401 for a bad key). No retries and no redirects: the answer is wanted now,
 * and the Authorization header must not follow a redirect anywhere.
 */
export function createSessionCheck(options: SessionCheckOptions = {}): TestKey {
  const timeoutMs = options.timeoutMs ?? 15_000;
  return async (credentials) => {
    const host = hostOf(credentials.server);
    let response: { statusCode: number; body: string };
    try {
      response = await got(`${credentials.server}/session-properties`, {
        headers: {
          authorization: basicAuthorization(credentials),
          accept: 'application/json',
          ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
        },
        timeout: { request: timeoutMs },
        retry: { limit: 0 },
        followRedirect: false,
        throwHttpErrors: false,
        responseType: 'text',
      });
    } catch (error) {
      return networkFailure(host, error as RequestError, timeoutMs);
    }
    return interpret(host, response.statusCode, response.body);
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

function networkFailure(host: string, error: RequestError, timeoutMs: number): KeyTestResult {
  if (error.code === 'ETIMEDOUT') {
    return {
      ok: false,
      code: 'network',
      message: `${host} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
    };
  }
  const reason = error.code && error.code !== 'ERR_GOT_REQUEST_ERROR' ? error.code : 'connection failed';
  return { ok: false, code: 'network', message: `Could not reach ${host} (${reason}).` };
}

function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}
