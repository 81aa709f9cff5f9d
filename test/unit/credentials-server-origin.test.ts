import { describe, expect, it } from 'vitest';
import { requireServerOrigin, serverOrigin } from '../../src-main/core/auth/server-origin.ts';

describe('serverOrigin', () => {
  it('reduces a site address to its origin', () => {
    expect(serverOrigin('https://data.4dnucleome.org/')).toEqual({ origin: 'https://data.4dnucleome.org' });
    expect(serverOrigin(' http://127.0.0.1:8000 ')).toEqual({ origin: 'http://127.0.0.1:8000' });
    expect(serverOrigin('HTTPS://Data.4DNucleome.org:443')).toEqual({
      origin: 'https://data.4dnucleome.org',
    });
  });

  it('refuses what is not a site address', () => {
    expect(serverOrigin('data.4dnucleome.org')).toEqual({
      reason: '"data.4dnucleome.org" is not a web address such as https://data.4dnucleome.org',
    });
    expect(serverOrigin('file:///etc/passwd')).toEqual({
      reason: '"file:///etc/passwd" must start with https:// (or http:// for a local server)',
    });
    expect(serverOrigin('https://x.org/?q=1')).toEqual({
      reason: '"https://x.org/?q=1" must be a site address only, such as https://x.org',
    });
    expect(serverOrigin('https://x.org/#a')).toEqual({
      reason: '"https://x.org/#a" must be a site address only, such as https://x.org',
    });
    expect(serverOrigin('https://KEY:topsecret@x.org')).toEqual({
      reason: 'the server address must not contain a user name or password',
    });
  });

  it('raises bad-input through requireServerOrigin', () => {
    expect(() => requireServerOrigin('nope')).toThrow(/^Server "nope" is not a web address/);
  });
});
