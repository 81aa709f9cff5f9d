import type { Headers } from './connection-pool.ts';
import { originHeadersAfterHop } from './credentials.ts';
import { nextHopProblem } from './url-policy.ts';

export type Method = 'GET' | 'POST' | 'OPTIONS';

/** One request of a redirect chain: where, how, and the origin-bound headers it may still carry. */
export interface Hop {
  url: URL;
  method: Method;
  /** Credentials given for the chain's first origin (see originHeadersAfterHop); empty once the chain left it. */
  originHeaders: Record<string, string>;
}

export interface Answer {
  status: number;
  headers: Headers;
}

export interface RedirectOptions<A extends Answer> {
  maxRedirects: number;
  /** false: hand back the first answer, redirect or not. Default true. */
  follow?: boolean | undefined;
  /** Frees an answer whose redirect is being followed (its body is never read). */
  discard?: (answer: A) => void;
  /** The error for a refused chain: `problem` is nextHopProblem's reason, undefined for too many hops. */
  refuse: (from: URL, problem: string | undefined) => Error;
}

/**
 * THE redirect loop, for the buffered portal and DRS requests and the streaming storage GETs alike: `send` makes
 * one request (its caller decides the other headers, e.g. our own credential per hop); each Location is judged
 * by nextHopProblem against the chain's first URL, origin-bound headers follow by originHeadersAfterHop, and a
 * 303 (or a 301/302 after POST) turns into a GET. Answers other than a redirect with a Location come back as is.
 */
export async function followRedirects<A extends Answer>(
  first: Hop,
  send: (hop: Hop) => Promise<A>,
  options: RedirectOptions<A>,
): Promise<A> {
  let hop = first;
  for (let count = 0; ; count++) {
    const answer = await send(hop);
    const location = redirectLocation(answer);
    if (location === undefined || options.follow === false) return answer;
    options.discard?.(answer);
    if (count >= options.maxRedirects) throw options.refuse(hop.url, undefined);
    const next = nextHop(hop.url, location, first.url);
    if (typeof next === 'string') throw options.refuse(hop.url, next);
    hop = {
      url: next,
      method: methodAfter(answer.status, hop.method),
      originHeaders: originHeadersAfterHop(hop.originHeaders, hop.url, next),
    };
  }
}

/** The Location of a redirect (3xx with a Location), or undefined for any other answer. */
export function redirectLocation(answer: Answer): string | undefined {
  const location = answer.headers.location;
  return answer.status >= 300 && answer.status < 400 && typeof location === 'string' ? location : undefined;
}

/**
 * Where a redirect from `from` leads, or why it may not (nextHopProblem, judged against the chain's `first`
 * URL): also for a caller that hands the Location on instead of following it (the portal's @@download hop).
 */
export function nextHop(from: URL, location: string, first: URL): URL | string {
  return nextHopProblem(from, location, first) ?? new URL(location, from);
}

/** The method of the next hop: a 303, or a 301/302 after a POST, asks for a GET (as browsers do). */
function methodAfter(status: number, method: Method): Method {
  return status === 303 || ((status === 301 || status === 302) && method === 'POST') ? 'GET' : method;
}
