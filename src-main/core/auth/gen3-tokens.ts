import { AppError } from '../../../src-shared/domain/errors.ts';
import { hostOf, mayCarryCredential } from '../http/credentials.ts';

/** The exchange a Gen3 data commons offers for an API key: POST {api_key} answers {access_token}. */
export const GEN3_TOKEN_PATH = '/user/credentials/api/access_token';

/** Posts `{"api_key": ...}` to the exchange URL; answers the status and parsed JSON body. */
export type PostJson = (url: string, body: unknown) => Promise<{ status: number; data: unknown }>;

/** Refresh this long before expiry (at most a quarter of the token's life, for short-lived tokens). */
const REFRESH_MARGIN_MS = 60_000;

/**
 * Short-lived access tokens for one Gen3 API key, kept in memory only. A token is reused until it is near its
 * JWT `exp`, and dropped at once when the server answers 401 to it; concurrent callers share one exchange.
 */
export class Gen3Tokens {
  readonly server: string;
  private readonly apiKey: string;
  private readonly post: PostJson;
  private readonly now: () => number;
  private current: { token: string; refreshAt: number } | undefined;
  private pending: Promise<string> | undefined;
  /** Every token handed out, so error texts can be scrubbed of them. */
  readonly issued: string[] = [];

  constructor(options: { server: string; apiKey: string; post: PostJson; now?: () => number }) {
    this.server = options.server.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.post = options.post;
    this.now = options.now ?? Date.now;
  }

  async token(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return this.current.token;
    this.pending ??= this.exchange().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** The server refused this token (401): the next token() exchanges the key again. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async exchange(): Promise<string> {
    const url = `${this.server}${GEN3_TOKEN_PATH}`;
    const host = hostOf(this.server);
    if (!mayCarryCredential(url, this.server)) {
      throw new AppError(
        'bad-input',
        `Refusing to send the Gen3 API key for ${host} over plain http: use https.`,
      );
    }
    const { status, data } = await this.post(url, { api_key: this.apiKey });
    if (status === 401 || status === 403) {
      throw new AppError(
        'auth-rejected',
        `${host} refused the Gen3 API key (${status}): download a new credentials.json from its profile page.`,
      );
    }
    const token =
      data && typeof data === 'object' && 'access_token' in data && typeof data.access_token === 'string'
        ? data.access_token
        : undefined;
    if (status < 200 || status >= 300 || !token) {
      throw new AppError(
        'bad-response',
        `${host} did not give an access token for the Gen3 API key (${status}).`,
      );
    }
    const issuedAt = this.now();
    const expiresAt = jwtExpiry(token) ?? issuedAt + 5 * 60_000;
    const margin = Math.min(REFRESH_MARGIN_MS, Math.max(0, expiresAt - issuedAt) / 4);
    this.current = { token, refreshAt: expiresAt - margin };
    this.issued.push(token);
    return token;
  }
}

/** A JWT's `exp` in epoch ms, or undefined when the token is not a readable JWT. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
