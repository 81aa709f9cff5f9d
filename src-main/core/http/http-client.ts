import { AppError } from '../../../src-shared/domain/errors.ts';
import { Gen3Tokens } from '../auth/gen3-tokens.ts';
import { type ConnectionPool, sharedApiPool, type Timeouts } from './connection-pool.ts';
import {
  authorizationFor,
  type Credentials,
  mayCarryCredential,
  originOf,
  redactSecret,
  splitOriginHeaders,
} from './credentials.ts';
import { errorForNetwork, errorForResponse } from './errors.ts';
import { followRedirects, type Hop, type Method } from './redirects.ts';
import {
  DEFAULT_RETRY,
  isRetryableNetworkCode,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
  retryDelay,
  sleepFor,
} from './retry.ts';
import { type Headers, sendOnce } from './send-once.ts';

export type { Headers } from './send-once.ts';

export interface HttpClientOptions {
  credentials?: Credentials | undefined;
  /** App version for the User-Agent. */
  version?: string | undefined;
  /** Injected so tests can record waits instead of waiting. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  random?: () => number;
  retry?: Partial<RetryPolicy>;
  timeouts?: Timeouts;
  maxRedirects?: number;
  /** Default: the process's shared API pool. */
  pool?: ConnectionPool;
}

export interface RequestOptions {
  method?: Method;
  headers?: Record<string, string>;
  /** A JSON request body. */
  json?: unknown;
  /** An application/x-www-form-urlencoded request body. */
  form?: Record<string, string>;
  /** Default application/json. */
  accept?: string;
  /** Follow redirects ourselves, so each hop gets credentials only on their own origin. Default true. */
  followRedirects?: boolean;
  /** Whether to read the body for this status (default: all but redirects). Unread bodies are discarded. */
  readBody?: (status: number) => boolean;
  maxBodyBytes?: number;
  /** false: a single try. */
  retry?: boolean;
  signal?: AbortSignal;
  /** Names the thing asked for in error messages, e.g. "DRS object 4DNFIIA7E3HL". */
  what?: string;
  /** Send no credentials at all (the Gen3 key exchange carries its key in the body). */
  anonymous?: boolean;
}

export interface HttpResponse {
  status: number;
  /** The URL that answered, after any redirects followed. */
  url: string;
  headers: Headers;
  body: Buffer;
  /** Whether the answering request carried the user's credentials. */
  authSent: boolean;
  attempts: number;
  /** The Gen3 access token the answering request carried (so a 401 can drop exactly that one). */
  authToken?: string;
}

const DEFAULT_TIMEOUTS: Timeouts = {
  lookup: 15_000,
  connect: 15_000,
  secureConnect: 15_000,
  socket: 30_000,
  response: 30_000,
};
const DEFAULT_MAX_BODY = 64 * 1024 * 1024;

/**
 * The one HTTP setup for talking to portals and DRS servers: Basic auth scoped to the credentials' origin,
 * identity encoding, bounded retries with backoff and Retry-After, and errors that never carry a secret
 * (a library's network error is never rethrown: only its code is read).
 */
export class HttpClient {
  readonly credentials: Credentials | undefined;
  readonly userAgent: string;
  readonly retryPolicy: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly timeouts: Timeouts;
  private readonly maxRedirects: number;
  private readonly pool: ConnectionPool;
  /** Access tokens for a Gen3 API key, in memory only. */
  private readonly gen3: Gen3Tokens | undefined;

  constructor(options: HttpClientOptions = {}) {
    this.credentials = options.credentials
      ? { ...options.credentials, server: options.credentials.server.replace(/\/+$/, '') }
      : undefined;
    this.userAgent = `4dn-downloader/${options.version ?? 'dev'}`;
    this.retryPolicy = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => sleepFor(ms));
    this.random = options.random ?? Math.random;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.maxRedirects = options.maxRedirects ?? 5;
    this.pool = options.pool ?? sharedApiPool();
    if (this.credentials?.kind === 'gen3') {
      this.gen3 = new Gen3Tokens({
        server: this.credentials.server,
        apiKey: this.credentials.secret,
        post: async (url, body) => {
          const response = await this.request(url, {
            method: 'POST',
            json: body,
            anonymous: true,
            what: 'a Gen3 access token',
          });
          let data: unknown;
          try {
            data = JSON.parse(response.body.toString('utf8'));
          } catch {
            data = undefined;
          }
          return { status: response.status, data };
        },
      });
    }
  }

  /** The credentials' origin, when there are credentials. */
  get credentialsOrigin(): string | undefined {
    return this.credentials ? originOf(this.credentials.server) : undefined;
  }

  hasCredentialsFor(url: string | URL): boolean {
    return this.credentials !== undefined && mayCarryCredential(url, this.credentials.server);
  }

  /** Any status comes back as a response; network failures throw AppError('network') after retries. */
  async request(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const attempts = options.retry === false ? 1 : this.retryPolicy.attempts;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      let response: HttpResponse;
      try {
        response = await this.follow(url, options);
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (options.signal?.aborted) throw new AppError('canceled', 'Canceled.');
        const code = networkCode(error);
        if (attempt < attempts && isRetryableNetworkCode(code)) {
          await this.sleep(retryDelay(attempt, this.retryPolicy, undefined, this.random));
          continue;
        }
        throw this.clean(errorForNetwork(code, url, options.what ?? 'the request', attempt));
      }
      response.attempts = attempt;
      // A Gen3 access token can go stale before its exp (revoked, clock skew): get a new one and ask once more.
      if (response.status === 401 && response.authToken !== undefined && this.gen3 && !refreshed) {
        this.gen3.invalidate(response.authToken);
        refreshed = true;
        attempt--;
        continue;
      }
      if (attempt < attempts && isRetryableStatus(response.status)) {
        const after = parseRetryAfter(response.headers['retry-after']);
        await this.sleep(retryDelay(attempt, this.retryPolicy, after, this.random));
        continue;
      }
      return response;
    }
  }

  /** GET (or the given method) and parse JSON; a status outside 2xx becomes the matching AppError. */
  async json(url: string, options: RequestOptions & { okStatuses?: number[] } = {}): Promise<JsonResponse> {
    const response = await this.request(url, options);
    const ok =
      (response.status >= 200 && response.status < 300) || options.okStatuses?.includes(response.status);
    if (!ok) throw this.fail(response, options.what ?? 'the request');
    return { ...response, data: this.parseJson(response, options.what ?? 'the request') };
  }

  /** The AppError for a failed response, with any trace of the secret removed. */
  fail(response: HttpResponse, what: string): AppError {
    return this.clean(errorForResponse(response, what));
  }

  parseJson(response: HttpResponse, what: string): unknown {
    try {
      return JSON.parse(response.body.toString('utf8')) as unknown;
    } catch {
      throw new AppError(
        'bad-response',
        `${new URL(response.url).host} sent something other than JSON for ${what} (status ${response.status}).`,
      );
    }
  }

  private clean(error: AppError): AppError {
    const message = redactSecret(error.message, this.credentials, this.gen3?.issued);
    return message === error.message ? error : new AppError(error.code, message);
  }

  /** One try: a request plus the redirects it leads to, each hop authorised by its own origin. */
  private follow(url: string, options: RequestOptions): Promise<HttpResponse> {
    const what = options.what ?? 'the request';
    const { bound, free } = splitOriginHeaders(options.headers);
    const first: Hop = { url: new URL(url), method: options.method ?? 'GET', originHeaders: bound };
    return followRedirects(first, (hop) => this.once(hop, free, options), {
      maxRedirects: this.maxRedirects,
      follow: options.followRedirects !== false,
      refuse: (from, problem) =>
        new AppError(
          'bad-response',
          problem === undefined
            ? `${from.host} redirected too many times for ${what}.`
            : `${from.host} redirected ${what} elsewhere, which was refused: ${problem}.`,
        ),
    });
  }

  /** One request of a chain: our credential decided for this hop's origin, the caller's only where it may go. */
  private async once(
    hop: Hop,
    freeHeaders: Record<string, string>,
    options: RequestOptions,
  ): Promise<HttpResponse> {
    const { url, method } = hop;
    const callerHeaders = { ...freeHeaders, ...hop.originHeaders };
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: options.accept ?? 'application/json',
      'accept-encoding': 'identity',
      ...callerHeaders,
    };
    // Never let a caller header smuggle credentials to a foreign origin; ours go to their origin only.
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
    const callerAuth = Object.entries(callerHeaders).find(([name]) => name.toLowerCase() === 'authorization');
    const credentials = options.anonymous ? undefined : this.credentials;
    const token =
      this.gen3 && credentials && mayCarryCredential(url, credentials.server)
        ? await this.gen3.token()
        : undefined;
    const ours = authorizationFor(url, credentials, token);
    const authorization = ours ?? callerAuth?.[1];
    if (authorization) headers.authorization = authorization;
    let body: string | undefined;
    // A body goes with POST only: a 303 (or 301/302 after POST) turns the next hop into a bodiless GET.
    if (method !== 'GET') {
      if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers['content-type'] = 'application/json';
      } else if (options.form !== undefined) {
        body = new URLSearchParams(options.form).toString();
        headers['content-type'] = 'application/x-www-form-urlencoded';
      }
    }
    const exchange = await sendOnce({
      pool: this.pool,
      url,
      method,
      headers,
      body,
      timeouts: this.timeouts,
      readBody: options.readBody ?? ((status: number) => status < 300 || status >= 400),
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY,
      signal: options.signal,
      what: options.what ?? 'the request',
    });
    const authSent = ours !== undefined;
    return { ...exchange, authSent, attempts: 1, ...(token === undefined ? {} : { authToken: token }) };
  }
}

export interface JsonResponse extends HttpResponse {
  data: unknown;
}

function networkCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string')
    return error.code;
  return undefined;
}
