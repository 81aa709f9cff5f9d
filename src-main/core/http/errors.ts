import { AppError } from '../../../src-shared/domain/errors.ts';
import { hostOf } from './credentials.ts';

/** What a server said about a failure, from the portal's error shape or GA4GH's `{msg, status_code}`. */
export interface ServerError {
  title?: string;
  description?: string;
  detail?: string;
  msg?: string;
}

export function parseErrorBody(body: Buffer | string): ServerError | undefined {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const json = JSON.parse(text) as unknown;
    if (json === null || typeof json !== 'object') return undefined;
    const record = json as Record<string, unknown>;
    const pick = (key: string) => {
      const value = record[key];
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    };
    const parsed: ServerError = {};
    const title = pick('title');
    const description = pick('description');
    const detail = pick('detail');
    const msg = pick('msg') ?? pick('message');
    if (title) parsed.title = title;
    if (description) parsed.description = description;
    if (detail) parsed.detail = detail;
    if (msg) parsed.msg = msg;
    return parsed;
  } catch {
    return undefined;
  }
}

/** One short sentence of what the server said, without repeating itself. */
export function serverSays(error: ServerError | undefined): string {
  if (!error) return '';
  const parts: string[] = [];
  for (const part of [error.title, error.msg, error.description, error.detail]) {
    if (part && !parts.some((seen) => seen.includes(part) || part.includes(seen))) parts.push(part);
  }
  const text = parts
    .map((part) => part.replace(/\s+/g, ' ').replace(/[.:]+$/, ''))
    .join(': ')
    .slice(0, 300);
  return text;
}

export interface FailedResponse {
  status: number;
  /** The URL that answered: only its host is ever shown. */
  url: string;
  body: Buffer;
  /** Whether this request carried the user's credentials. */
  authSent: boolean;
  attempts: number;
}

export function keyRejectedMessage(host: string): string {
  return `Key rejected by ${host}: update it in Accounts or with \`4dn-dl keys add\`.`;
}

export function keyNeededMessage(host: string, what: string): string {
  return `${host} needs an access key to download ${what}: add one with \`4dn-dl keys add\` or --keypairs.`;
}

/**
 * Turns an HTTP failure into an error a person can act on. `what` names the thing asked for
 * ("DRS object 4DNFIIA7E3HL"). Messages carry the host, never the URL (storage URLs carry signatures).
 */
export function errorForResponse(response: FailedResponse, what: string): AppError {
  const host = hostOf(response.url);
  const said = parseErrorBody(response.body);
  const says = serverSays(said);
  const suffix = says ? ` (${says})` : '';
  const status = response.status;
  if (status === 401) {
    return response.authSent
      ? new AppError('auth-rejected', keyRejectedMessage(host))
      : new AppError('auth-missing', keyNeededMessage(host, what));
  }
  if (status === 403) {
    const text = `${said?.title ?? ''} ${said?.description ?? ''} ${said?.detail ?? ''} ${said?.msg ?? ''}`;
    if (/not logged in/i.test(text) || (!response.authSent && !/restricted/i.test(text))) {
      return new AppError('auth-missing', keyNeededMessage(host, what));
    }
    if (/restricted/i.test(text)) {
      return new AppError(
        'restricted',
        `${sentenceStart(what)} is restricted on ${host}: it can be viewed but not downloaded.`,
      );
    }
    return new AppError(
      'forbidden',
      `${host} refused access to ${what}${suffix}: check that your key's account may download it.`,
    );
  }
  if (status === 404 || status === 410) {
    return new AppError('not-found', `${sentenceStart(what)} was not found on ${host}${suffix}.`);
  }
  if (status === 408 || status === 429 || status >= 500) {
    const tries = response.attempts > 1 ? ` after ${response.attempts} tries` : '';
    const busy = status === 429 ? ' is rate-limiting requests' : ` answered ${status}`;
    return new AppError('server-error', `${host}${busy} for ${what}${tries}${suffix}: try again later.`);
  }
  if (status === 400 || status === 413 || status === 414 || status === 422) {
    return new AppError(
      'bad-input',
      `${host} rejected the request for ${what} (${status})${says ? `: ${says}` : ''}.`,
    );
  }
  return new AppError('bad-response', `Unexpected answer ${status} from ${host} for ${what}${suffix}.`);
}

const NETWORK_WORDS: Record<string, string> = {
  ETIMEDOUT: 'timed out',
  ECONNREFUSED: 'refused the connection',
  ECONNRESET: 'reset the connection',
  ENOTFOUND: 'could not be found (DNS lookup failed): check the server address',
  EAI_AGAIN: 'could not be looked up (DNS): check your network',
  ENETUNREACH: 'is unreachable: check your network',
  EHOSTUNREACH: 'is unreachable: check your network',
  ECONNABORTED: 'closed the connection',
  EPIPE: 'closed the connection',
  ERR_STREAM_PREMATURE_CLOSE: 'closed the connection early',
  CERT_HAS_EXPIRED: 'presented an expired TLS certificate',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'presented a self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'presented a TLS certificate that could not be verified',
};

/** A network failure, described by its code only (library messages can embed request details). */
export function errorForNetwork(
  code: string | undefined,
  url: string,
  what: string,
  attempts: number,
): AppError {
  const host = hostOf(url);
  const words = (code && NETWORK_WORDS[code]) ?? `could not be reached${code ? ` (${code})` : ''}`;
  const tries = attempts > 1 ? ` after ${attempts} tries` : '';
  return new AppError('network', `${host} ${words} while fetching ${what}${tries}.`);
}

/** `what` ("item 4DNFI…", "DRS object …") opening a sentence: its first letter in upper case. */
function sentenceStart(what: string): string {
  return what.charAt(0).toUpperCase() + what.slice(1);
}
