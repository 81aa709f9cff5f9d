import { isAppError, toErrorInfo } from '../../../src-shared/domain/errors.ts';
import type { KeyTestResult } from '../../../src-shared/domain/profile.ts';
import { hostOf, mayCarryCredential } from '../http/credentials.ts';
import { HttpClient } from '../http/http-client.ts';
import type { Credentials, TestKey } from './credential-store.ts';

/**
 * Tests each kind of credential against its own server: a 4DN key with `basic` (GET /session-properties); a
 * bearer token or a Gen3 API key (exchanged for an access token first) with GET /user/user, Gen3's "who am I".
 * No credential is sent where mayCarryCredential says no (plain http off this machine).
 */
export function createCredentialCheck(basic: TestKey): TestKey {
  return async (credentials) => {
    if (!mayCarryCredential(`${credentials.server}/`, credentials.server)) {
      return {
        ok: false,
        code: 'bad-input',
        message: `Refusing to send a credential to ${hostOf(credentials.server)} over plain http: use https.`,
      };
    }
    if ((credentials.kind ?? 'basic') === 'basic') return basic(credentials);
    return checkToken(credentials);
  };
}

async function checkToken(credentials: Credentials): Promise<KeyTestResult> {
  const host = hostOf(credentials.server);
  const http = new HttpClient({ credentials, retry: { attempts: 1 } });
  try {
    const response = await http.request(`${credentials.server}/user/user`, {
      retry: false,
      what: 'the user',
    });
    if (response.status === 401 || response.status === 403) {
      return {
        ok: false,
        code: 'auth-rejected',
        message:
          credentials.kind === 'gen3'
            ? `${host} refused the access token made from the Gen3 API key (${response.status}).`
            : `${host} refused the token (${response.status}): get a new one from the server.`,
      };
    }
    if (response.status === 200) {
      const user = http.parseJson(response, 'the user') as Record<string, unknown> | null;
      const email = [user?.email, user?.username].find((value) => typeof value === 'string') as
        | string
        | undefined;
      return email === undefined ? { ok: true } : { ok: true, email };
    }
    return {
      ok: true,
      message:
        credentials.kind === 'gen3'
          ? `${host} exchanged the API key for an access token (it has no /user/user to say who you are).`
          : `${host} has no /user/user to check the token against: it is tried on the first download.`,
    };
  } catch (error) {
    const info = toErrorInfo(error);
    return { ok: false, code: isAppError(error) ? error.code : info.code, message: info.message };
  }
}
