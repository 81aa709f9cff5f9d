import { describe, expect, it } from 'vitest';
import { Gen3Tokens, jwtExpiry } from '../../src-main/core/auth/gen3-tokens.ts';
import { authorizationFor, mayCarryCredential } from '../../src-main/core/http/credentials.ts';
import { parseGen3CredentialsFile } from '../../src-shared/gen3-credentials.ts';

const jwt = (exp: number) => `h.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.s`;

describe('Gen3 access tokens', () => {
  it('reuses a token until shortly before its exp, then exchanges the key again', async () => {
    let now = 1_000_000_000_000;
    const posts: unknown[] = [];
    const tokens = new Gen3Tokens({
      server: 'https://gen3.example.org/',
      apiKey: 'the-api-key',
      now: () => now,
      post: async (url, body) => {
        posts.push([url, body]);
        return { status: 200, data: { access_token: jwt(Math.floor(now / 1000) + 1200) } };
      },
    });
    const first = await tokens.token();
    expect(posts).toEqual([
      ['https://gen3.example.org/user/credentials/api/access_token', { api_key: 'the-api-key' }],
    ]);
    now += 1139_000; // 61 s before exp: still good
    expect(await tokens.token()).toBe(first);
    now += 2_000; // 59 s before exp: refresh
    const second = await tokens.token();
    expect(second).not.toBe(first);
    expect(posts).toHaveLength(2);
    tokens.invalidate(second);
    await Promise.all([tokens.token(), tokens.token()]);
    expect(posts).toHaveLength(3);
  });

  it('names a refused key, and reads exp and the credentials file', async () => {
    const tokens = new Gen3Tokens({
      server: 'https://gen3.example.org',
      apiKey: 'k',
      post: async () => ({ status: 401, data: {} }),
    });
    await expect(tokens.token()).rejects.toMatchObject({ code: 'auth-rejected' });
    expect(jwtExpiry(jwt(2000))).toBe(2_000_000);
    expect(jwtExpiry('opaque')).toBeUndefined();
    expect(parseGen3CredentialsFile('{"api_key": "a.b.c", "key_id": "id-1"}')).toEqual({
      keyId: 'id-1',
      secret: 'a.b.c',
    });
    expect(() => parseGen3CredentialsFile('{"key_id": "x"}')).toThrow(/needs "api_key" and "key_id"/);
  });
});

describe('mayCarryCredential: own origin, over TLS except on loopback', () => {
  it('decides for every kind', () => {
    const server = 'https://data.example.org';
    expect(mayCarryCredential('https://data.example.org/x', server)).toBe(true);
    expect(mayCarryCredential('https://storage.example.org/x', server)).toBe(false);
    expect(mayCarryCredential('https://data.example.org:8443/x', server)).toBe(false);
    expect(mayCarryCredential('http://plain.example.org/x', 'http://plain.example.org')).toBe(false);
    expect(mayCarryCredential('http://127.0.0.1:9/x', 'http://127.0.0.1:9')).toBe(true);
    const bearer = { server, keyId: 't', secret: 'tok-123456', kind: 'bearer' as const };
    expect(authorizationFor(`${server}/a`, bearer)).toBe('Bearer tok-123456');
    expect(authorizationFor('https://storage.example.org/a', bearer)).toBeUndefined();
    const gen3 = { ...bearer, kind: 'gen3' as const };
    expect(authorizationFor(`${server}/a`, gen3, 'access')).toBe('Bearer access');
    expect(
      authorizationFor('http://plain.example.org/a', { ...gen3, server: 'http://plain.example.org' }, 'x'),
    ).toBeUndefined();
  });
});
