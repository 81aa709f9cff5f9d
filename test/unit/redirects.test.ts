import { describe, expect, it } from 'vitest';
import { originHeadersAfterHop, splitOriginHeaders } from '../../src-main/core/http/credentials.ts';
import { type Answer, followRedirects, type Hop } from '../../src-main/core/http/redirects.ts';

/** A scripted server: each URL answers a status and maybe a Location; every hop asked is recorded. */
function scripted(routes: Record<string, [number, string?]>) {
  const asked: Array<{ url: string; method: string; originHeaders: Record<string, string> }> = [];
  const send = async (hop: Hop): Promise<Answer & { url: string }> => {
    asked.push({ url: hop.url.href, method: hop.method, originHeaders: hop.originHeaders });
    const [status, location] = routes[hop.url.href] ?? [200];
    return { url: hop.url.href, status, headers: location === undefined ? {} : { location } };
  };
  return { asked, send };
}

const refuse = (from: URL, problem: string | undefined) =>
  new Error(problem === undefined ? `too many from ${from.host}` : `refused from ${from.host}: ${problem}`);

describe('followRedirects', () => {
  it('keeps origin-bound headers on the same origin, drops them on leaving it, and never gives them back', async () => {
    const { asked, send } = scripted({
      'https://portal.example/a': [302, '/b'],
      'https://portal.example/b': [302, 'https://storage.example/c'],
      'https://storage.example/c': [302, 'https://portal.example/d'],
    });
    const answer = await followRedirects(
      {
        url: new URL('https://portal.example/a'),
        method: 'GET',
        originHeaders: { authorization: 'Bearer t' },
      },
      send,
      { maxRedirects: 5, refuse },
    );
    expect(answer.url).toBe('https://portal.example/d');
    expect(asked.map((hop) => [hop.url, hop.originHeaders])).toEqual([
      ['https://portal.example/a', { authorization: 'Bearer t' }],
      ['https://portal.example/b', { authorization: 'Bearer t' }],
      ['https://storage.example/c', {}],
      ['https://portal.example/d', {}],
    ]);
  });

  it('drops them on a same-origin hop in clear text off this machine (mayCarryCredential)', () => {
    const from = new URL('http://portal.example/a');
    expect(originHeadersAfterHop({ cookie: 'c' }, from, new URL('http://portal.example/b'))).toEqual({});
    const local = new URL('http://127.0.0.1:8000/a');
    expect(originHeadersAfterHop({ cookie: 'c' }, local, new URL('http://127.0.0.1:8000/b'))).toEqual({
      cookie: 'c',
    });
    expect(originHeadersAfterHop({ cookie: 'c' }, local, new URL('http://127.0.0.1:8001/b'))).toEqual({});
  });

  it('turns a POST into a GET on 303 (and 301/302) but keeps it on 307', async () => {
    const { asked, send } = scripted({
      'https://a.example/post': [307, '/again'],
      'https://a.example/again': [303, '/seen'],
    });
    await followRedirects(
      { url: new URL('https://a.example/post'), method: 'POST', originHeaders: {} },
      send,
      { maxRedirects: 5, refuse },
    );
    expect(asked.map((hop) => hop.method)).toEqual(['POST', 'POST', 'GET']);
  });

  it('frees every redirect it follows and refuses a loop after maxRedirects hops', async () => {
    const { asked, send } = scripted({ 'https://a.example/loop': [302, '/loop'] });
    const discarded: number[] = [];
    await expect(
      followRedirects({ url: new URL('https://a.example/loop'), method: 'GET', originHeaders: {} }, send, {
        maxRedirects: 3,
        refuse,
        discard: (answer) => discarded.push(answer.status),
      }),
    ).rejects.toThrow('too many from a.example');
    expect(asked).toHaveLength(4);
    expect(discarded).toEqual([302, 302, 302, 302]);
  });

  it('judges every hop by nextHopProblem against the first URL, a malformed Location included', async () => {
    const { asked, send } = scripted({
      'https://a.example/down': [302, 'http://a.example/plain'],
      'https://a.example/bad': [302, 'https://exa mple.org:99999/'],
    });
    const first = (path: string): Hop => ({
      url: new URL(`https://a.example${path}`),
      method: 'GET',
      originHeaders: {},
    });
    await expect(followRedirects(first('/down'), send, { maxRedirects: 5, refuse })).rejects.toThrow(
      /refused from a\.example: it leads from https to plain http/,
    );
    await expect(followRedirects(first('/bad'), send, { maxRedirects: 5, refuse })).rejects.toThrow(
      'refused from a.example: it is not a valid web address',
    );
    expect(asked.map((hop) => hop.url)).toEqual(['https://a.example/down', 'https://a.example/bad']);
  });

  it('hands back a redirect unfollowed when asked not to follow', async () => {
    const { send } = scripted({ 'https://a.example/r': [307, 'https://b.example/'] });
    const answer = await followRedirects(
      { url: new URL('https://a.example/r'), method: 'GET', originHeaders: {} },
      send,
      { maxRedirects: 5, follow: false, refuse },
    );
    expect([answer.status, answer.url]).toEqual([307, 'https://a.example/r']);
  });
});

describe('splitOriginHeaders', () => {
  it('binds credential headers (any case) to the origin and lets the rest travel', () => {
    expect(
      splitOriginHeaders({
        Authorization: 'Basic x',
        cookie: 'c',
        'Proxy-Authorization': 'p',
        accept: '*/*',
      }),
    ).toEqual({
      bound: { Authorization: 'Basic x', cookie: 'c', 'Proxy-Authorization': 'p' },
      free: { accept: '*/*' },
    });
  });
});
