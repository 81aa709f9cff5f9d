import type { AccessMethod, DrsObject } from '../../../src-shared/domain/drs.ts';
import { AppError } from '../../../src-shared/domain/errors.ts';
import type { ParsedId } from '../../../src-shared/domain/ids.ts';
import { accessPlan, isWebUrl, unusableReason } from '../../../src-shared/drs-access.ts';
import { sameOrigin } from '../http/credentials.ts';
import type { HttpClient } from '../http/http-client.ts';
import { parseRetryAfter } from '../http/retry.ts';
import { nextHopProblem } from '../http/url-policy.ts';
import { resolveInBulk } from './bulk.ts';
import {
  type DrsLocation,
  drsLocation,
  encodeObjectId,
  idText,
  objectUrl,
  toParsedId,
} from './drs-location.ts';
import { accessUrlOf, headerRecord, normaliseDrsObject } from './normalise.ts';
import { mapPool } from './pool.ts';
import { type FetchTarget, isPortalDownloadUrl, resolvePortalDownload } from './portal-download.ts';

export type ResolveResult =
  | { input: string; ok: true; object: DrsObject }
  | { input: string; ok: false; error: AppError };

export interface ResolveOptions {
  /** Ask the server to nest bundle contents (`?expand=true`). */
  expand?: boolean;
  signal?: AbortSignal;
}

export interface DrsClientOptions {
  http: HttpClient;
  /** The profile's portal origin, where bare accessions resolve. */
  defaultServer: string;
  /** Which DRS bases offer bulk POST /objects (shared between clients so a refusal is remembered). */
  bulkSupport?: Map<string, boolean>;
  /** How many 202 "not ready" answers /access may give before we give up. */
  accessPollAttempts?: number;
}

/** Resolves ids to DRS objects on any DRS 1.x server, and objects to URLs bytes can be fetched from. */
export class DrsClient {
  readonly http: HttpClient;
  readonly defaultServer: string;
  private readonly bulkSupport: Map<string, boolean>;
  private readonly accessPollAttempts: number;

  constructor(options: DrsClientOptions) {
    this.http = options.http;
    this.defaultServer = options.defaultServer.replace(/\/+$/, '');
    this.bulkSupport = options.bulkSupport ?? new Map();
    this.accessPollAttempts = options.accessPollAttempts ?? 10;
  }

  locate(input: string | ParsedId): DrsLocation {
    return drsLocation(toParsedId(input), this.defaultServer);
  }

  async resolve(input: string | ParsedId, options: ResolveOptions = {}): Promise<DrsObject> {
    return this.fetchObject(this.locate(input), options);
  }

  async fetchObject(location: DrsLocation, options: ResolveOptions = {}): Promise<DrsObject> {
    const url = `${objectUrl(location)}${options.expand ? '?expand=true' : ''}`;
    const response = await this.http.json(url, {
      what: `DRS object ${location.objectId}`,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return normaliseDrsObject(response.data, location.drsBase);
  }

  /**
   * Many ids at once: bulk POST /objects where a server offers it, single GETs otherwise, at most
   * `concurrency` at a time. One bad id never fails the batch; results keep the input order.
   */
  async resolveMany(
    inputs: ReadonlyArray<string | ParsedId>,
    options: ResolveOptions & { concurrency?: number } = {},
  ): Promise<ResolveResult[]> {
    const results: Array<ResolveResult | undefined> = new Array(inputs.length);
    const located: Array<{ index: number; input: string; location: DrsLocation }> = [];
    inputs.forEach((input, index) => {
      const text = typeof input === 'string' ? input : idText(input);
      try {
        located.push({ index, input: text, location: this.locate(input) });
      } catch (error) {
        results[index] = { input: text, ok: false, error: asAppError(error) };
      }
    });
    const pending = await resolveInBulk(this.http, located, this.bulkSupport, options);
    for (const done of pending.resolved) results[done.index] = done.result;
    await mapPool(pending.remaining, options.concurrency ?? 8, async ({ index, input, location }) => {
      try {
        results[index] = { input, ok: true, object: await this.fetchObject(location, options) };
      } catch (error) {
        results[index] = { input, ok: false, error: asAppError(error) };
      }
    });
    return results as ResolveResult[];
  }

  /**
   * A URL the bytes can be fetched from, asked afresh on every call (storage URLs expire). Methods are tried in
   * accessPlan's order; a method whose access_id answers an s3:// or gs:// URL is passed over for the next, and
   * when none is left the error names every method and what it would need. A portal @@download URL is followed
   * here with credentials, so what comes back is the storage URL and clean headers.
   */
  async accessUrl(object: DrsObject, options: { signal?: AbortSignal } = {}): Promise<FetchTarget> {
    const what = `DRS object ${object.id}`;
    const refused: string[] = [];
    for (const step of accessPlan(object.accessMethods)) {
      if (step.kind === 'unusable') {
        refused.push(step.reason);
        continue;
      }
      const access =
        step.kind === 'direct' && step.method.accessUrl
          ? step.method.accessUrl
          : await this.fetchAccessUrl(object, step.method, options.signal);
      if (!isWebUrl(access.url)) {
        refused.push(`${unusableReason(step.method.type, access.url)} (answered by its access id)`);
        continue;
      }
      // A downgrade or a local address is refused outright (issue: no blind requests), not passed over.
      const hopProblem = nextHopProblem(object.drsBase, access.url, object.drsBase);
      if (hopProblem) throw new AppError('bad-response', `${what}'s access URL was refused: ${hopProblem}.`);
      const headers = headerRecord(access.headers);
      if (isPortalDownloadUrl(access.url) && this.isPortal(access.url, object.drsBase)) {
        return resolvePortalDownload(this.http, access.url, what, {
          headers,
          ...(options.signal ? { signal: options.signal } : {}),
        });
      }
      return { url: access.url, headers };
    }
    throw new AppError(
      'unsupported-id',
      refused.length === 0
        ? `${what} offers no access methods: the server gives no way to fetch its bytes.`
        : `${what} offers no access this app can use: ${refused.join('; ')}.`,
    );
  }

  /** GET /objects/{id}/access/{access_id}; a 202 means "not ready yet": wait as told and ask again. */
  private async fetchAccessUrl(object: DrsObject, method: AccessMethod, signal?: AbortSignal) {
    const objectPath = encodeObjectId(object.id);
    const url = `${object.drsBase}/objects/${objectPath}/access/${encodeURIComponent(method.accessId ?? '')}`;
    const what = `access URL for ${object.id}`;
    for (let attempt = 1; ; attempt++) {
      const response = await this.http.request(url, { what, ...(signal ? { signal } : {}) });
      if (response.status === 202) {
        if (attempt >= this.accessPollAttempts) {
          throw new AppError(
            'server-error',
            `${new URL(url).host} did not have ${what} ready after ${attempt} tries: try again later.`,
          );
        }
        const wait = parseRetryAfter(response.headers['retry-after']) ?? 1000;
        await this.http.sleep(Math.min(wait, this.http.retryPolicy.maxRetryAfterMs));
        continue;
      }
      if (response.status < 200 || response.status >= 300) throw this.http.fail(response, what);
      const access = accessUrlOf(this.http.parseJson(response, what));
      if (!access) throw new AppError('bad-response', `${new URL(url).host} sent no URL for ${what}.`);
      return access;
    }
  }

  /** @@download URLs on the DRS server's own portal or the credentials' portal get the authenticated hop. */
  private isPortal(url: string, drsBase: string): boolean {
    return sameOrigin(url, drsBase) || this.http.hasCredentialsFor(url);
  }
}

export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('internal', 'Unexpected failure while resolving an id.');
}
