import { describe, expect, it } from 'vitest';
import { authorizationFor } from '../../src-main/core/http/credentials.ts';
import {
  isLocalAddress,
  isLoopbackHost,
  mayCarryCredentials,
  nextHopProblem,
} from '../../src-main/core/http/url-policy.ts';

const host = (url: string) => new URL(url).hostname;

describe('addresses', () => {
  it('knows loopback, private and link-local addresses, v4 and v6, and nothing else', () => {
    const local = [
      'http://127.0.0.1/',
      'http://127.9.8.7/',
      'http://[::1]/',
      'http://localhost/',
      'http://LOCALHOST./',
      'http://api.localhost/',
      'http://0.0.0.0/',
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://172.31.255.255/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fc00::1]/',
      'http://[fd12:3456::1]/',
      'http://[fe80::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:10.0.0.1]/',
      'http://2130706433/', // URL reads a bare number as 127.0.0.1
      'http://0x7f.1/',
    ];
    for (const url of local) expect(isLocalAddress(host(url)), url).toBe(true);
    const remote = [
      'https://data.4dnucleome.org/',
      'http://172.15.0.1/',
      'http://172.32.0.1/',
      'http://192.169.0.1/',
      'http://8.8.8.8/',
      'http://[2001:db8::1]/',
      'http://localhost.example.com/',
    ];
    for (const url of remote) expect(isLocalAddress(host(url)), url).toBe(false);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(isLoopbackHost('[::1]')).toBe(true);
  });
});

describe('credentials only over TLS', () => {
  it('lets a key travel over https, or plain http to this machine only', () => {
    expect(mayCarryCredentials('https://data.4dnucleome.org/x')).toBe(true);
    expect(mayCarryCredentials('http://127.0.0.1:8000/x')).toBe(true);
    expect(mayCarryCredentials('http://localhost:8000/x')).toBe(true);
    expect(mayCarryCredentials('http://data.4dnucleome.org/x')).toBe(false);
    expect(mayCarryCredentials('http://192.168.1.5/x')).toBe(false);
    expect(mayCarryCredentials('ftp://127.0.0.1/x')).toBe(false);
  });

  it('never builds an Authorization header for plain http off this machine, even on the key own origin', () => {
    const credentials = { server: 'http://portal.example', keyId: 'KEY', secret: 'secretsecret' };
    expect(authorizationFor('http://portal.example/x', credentials)).toBeUndefined();
    const tls = { ...credentials, server: 'https://portal.example' };
    expect(authorizationFor('https://portal.example/x', tls)).toMatch(/^Basic /);
  });
});

describe('nextHopProblem', () => {
  const publicServer = 'https://data.4dnucleome.org';

  it('allows https hops anywhere public, and plain http from plain http', () => {
    expect(nextHopProblem(publicServer, 'https://s3.amazonaws.com/b/k', publicServer)).toBeUndefined();
    expect(nextHopProblem('http://a.example/', 'http://b.example/', 'http://a.example/')).toBeUndefined();
    expect(nextHopProblem('https://a.example/x', '/relative', publicServer)).toBeUndefined();
  });

  it('refuses https to http on any hop, loopback included', () => {
    expect(nextHopProblem(publicServer, 'http://s3.amazonaws.com/b/k', publicServer)).toMatch(
      /from https to plain http \(s3\.amazonaws\.com\)/,
    );
    expect(nextHopProblem('https://127.0.0.1:9/', 'http://127.0.0.1:9/', 'https://127.0.0.1:9/')).toMatch(
      /from https to plain http/,
    );
  });

  it('refuses local and private targets unless the server itself is on this machine', () => {
    for (const target of [
      'https://127.0.0.1/',
      'https://localhost/',
      'https://10.0.0.5/',
      'https://169.254.169.254/latest/meta-data/',
      'https://[fe80::1]/',
      'https://[::1]:8080/',
    ]) {
      expect(nextHopProblem(publicServer, target, publicServer), target).toMatch(
        /local or private address .* which data\.4dnucleome\.org may not send us to/,
      );
    }
    const sample = 'http://127.0.0.1:8000';
    expect(nextHopProblem(sample, 'http://127.0.0.1:8001/bucket/x', sample)).toBeUndefined();
    expect(nextHopProblem(sample, 'http://10.0.0.5/bucket/x', sample)).toBeUndefined();
  });

  it('refuses other schemes and embedded passwords', () => {
    expect(nextHopProblem(publicServer, 'file:///etc/passwd', publicServer)).toMatch(/file addresses/);
    expect(nextHopProblem(publicServer, 'https://u:p@s3.example/', publicServer)).toMatch(/user name/);
  });
});
