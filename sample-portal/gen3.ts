import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from './http-util.ts';
import { derivedKey } from './random.ts';

/** The Gen3 API key exchange path, as Gen3's fence serves it. */
export const TOKEN_PATH = '/user/credentials/api/access_token';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A Gen3-like login beside the 4DN one: an API key (the `credentials.json` a Gen3 profile page gives) is
 * exchanged at TOKEN_PATH for a short-lived JWT access token sent as Bearer; an expired, revoked or unknown
 * token gets a 401. Deterministic from the seed.
 */
export class Gen3Auth {
  readonly keyId: string;
  readonly apiKey: string;
  tokenLifetimeMs: number;
  exchanges = 0;
  readonly #secret: Buffer;
  readonly #tokens = new Map<string, number>();
  #counter = 0;

  constructor(seed: number, tokenLifetimeMs: number) {
    this.#secret = derivedKey(seed, 'gen3');
    this.keyId = createHmac('sha256', this.#secret).update('key-id').digest('hex').slice(0, 36);
    this.apiKey = this.#jwt({ jti: this.keyId, purpose: 'api_key', exp: 4_102_444_800 });
    this.tokenLifetimeMs = tokenLifetimeMs;
  }

  credentialsJson(): string {
    return `${JSON.stringify({ api_key: this.apiKey, key_id: this.keyId }, null, 2)}\n`;
  }

  /** True for a live token this server issued. */
  valid(token: string, now = Date.now()): boolean {
    const expires = this.#tokens.get(token);
    return expires !== undefined && now < expires;
  }

  /** Every token issued so far stops working (answers 401) before its exp, as after a revocation. */
  revokeAll(): void {
    this.#tokens.clear();
  }

  /** Tokens issued so far (for tests that look for them where they must not be). */
  issued(): string[] {
    return [...this.#issued];
  }
  readonly #issued: string[] = [];

  async handleExchange(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' });
    let apiKey: unknown;
    try {
      apiKey = (JSON.parse(await readBody(req)) as { api_key?: unknown }).api_key;
    } catch {
      return sendJson(res, 400, { error: 'body must be JSON with api_key' });
    }
    if (apiKey !== this.apiKey) return sendJson(res, 401, { error: 'invalid api_key' });
    this.exchanges++;
    const expires = Date.now() + this.tokenLifetimeMs;
    const token = this.#jwt({ sub: 'demo', n: ++this.#counter, exp: Math.ceil(expires / 1000) });
    this.#tokens.set(token, expires);
    this.#issued.push(token);
    sendJson(res, 200, { access_token: token });
  }

  #jwt(claims: Record<string, unknown>): string {
    const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims)}`;
    return `${unsigned}.${createHmac('sha256', this.#secret).update(unsigned).digest('base64url')}`;
  }
}
