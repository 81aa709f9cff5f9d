import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SampleFile, type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { DrsClient } from '../../src-main/core/drs/drs-client.ts';
import type { Credentials } from '../../src-main/core/http/credentials.ts';
import { HttpClient } from '../../src-main/core/http/http-client.ts';
import type { AppError } from '../../src-shared/domain/errors.ts';

/** The DRS client against the sample 4DN portal: every DRS shape, every id form, auth and faults. */
let portal: SamplePortal;
const sleeps: number[] = [];
const sleep = async (ms: number) => {
  sleeps.push(ms);
};

beforeAll(async () => {
  portal = await startSamplePortal();
});
afterAll(async () => {
  await portal?.close();
});
beforeEach(() => {
  sleeps.length = 0;
  portal.clearFaults();
  portal.resetStats();
});

const keyOf = (p: SamplePortal): Credentials => ({ server: p.portalUrl, keyId: p.key, secret: p.secret });
/** `null`: an anonymous client. */
const drsClient = (credentials: Credentials | null = keyOf(portal)) =>
  new DrsClient({
    http: new HttpClient({ credentials: credentials ?? undefined, sleep }),
    defaultServer: portal.portalUrl,
  });
const pick = (test: (file: SampleFile) => boolean): SampleFile => {
  const file = portal.files.find(test);
  if (!file) throw new Error('the sample portal has no such file');
  return file;
};
const released = (shape: SampleFile['drsShape']) =>
  pick((f) => f.drsShape === shape && f.status === 'released');

/** Fetches a storage URL the way the download engine will: its headers only, no credentials. */
async function md5Of(target: { url: string; headers: Record<string, string> }): Promise<string> {
  const response = await fetch(target.url, { headers: target.headers, redirect: 'manual' });
  expect(response.status).toBe(200);
  return createHash('md5')
    .update(Buffer.from(await response.arrayBuffer()))
    .digest('hex');
}

describe('DRS shapes', () => {
  it('reads the current shape and hands out the storage URL it names', async () => {
    const file = released('current');
    const drs = drsClient();
    const object = await drs.resolve(file.accession);
    expect(object).toMatchObject({
      id: file.accession,
      drsBase: portal.drsBase,
      size: file.size,
      checksums: [{ type: 'md5', value: file.md5 }],
      aliases: [file.uuid],
    });
    const access = await drs.accessUrl(object);
    expect(new URL(access.url).origin).toBe(portal.storageUrl);
    expect(access.headers).toEqual({});
    expect(await md5Of(access)).toBe(file.md5);
    expect(portal.authorizationSentToStorage()).toBe(false);
  });

  it('reads the legacy shape and does the authenticated @@download hop itself', async () => {
    const file = released('legacy');
    const drs = drsClient();
    const object = await drs.resolve(file.accession);
    expect(object.id).toBe(file.accession);
    expect((object.raw as { id: string }).id).toBe(`/${file.itemType}/${file.accession}/`);
    expect(object.accessMethods.map((method) => method.type)).toEqual(['https', 'http']);
    const access = await drs.accessUrl(object);
    expect(new URL(access.url).origin).toBe(portal.storageUrl);
    expect(access.headers).toEqual({});
    expect(await md5Of(access)).toBe(file.md5);
    expect(portal.storageRequests().length).toBeGreaterThan(0);
    expect(portal.authorizationSentToStorage()).toBe(false);
  });

  it('reads access-id-only objects through /access/{access_id}', async () => {
    const file = released('access-id');
    const drs = drsClient();
    const object = await drs.resolve(file.accession);
    expect(object.accessMethods).toEqual([{ type: 'https', accessId: 'https' }]);
    const access = await drs.accessUrl(object);
    expect(new URL(access.url).origin).toBe(portal.storageUrl);
    expect(await md5Of(access)).toBe(file.md5);
    expect(portal.authorizationSentToStorage()).toBe(false);
  });

  it('asks the server afresh on every accessUrl call (nothing cached)', async () => {
    const drs = drsClient();
    const legacy = released('legacy');
    const legacyObject = await drs.resolve(legacy.accession);
    const idOnly = released('access-id');
    const idOnlyObject = await drs.resolve(idOnly.accession);
    for (let round = 0; round < 2; round++) {
      // A one-off fault on the server proves the request was made: each call must wait it out once.
      portal.setFaults(legacy.accession, { downloadStatus: { status: 503, retryAfter: 1, times: 1 } });
      portal.setFaults(idOnly.accession, { accessPending: { retryAfter: 1, times: 1 } });
      expect(await md5Of(await drs.accessUrl(legacyObject))).toBe(legacy.md5);
      expect(await md5Of(await drs.accessUrl(idOnlyObject))).toBe(idOnly.md5);
    }
    expect(sleeps).toEqual([1000, 1000, 1000, 1000]);
  });
});

describe('id forms', () => {
  it('resolves an accession, drs:// URIs, DRS URLs, portal pages and @@download links to the same object', async () => {
    const file = released('current');
    const host = new URL(portal.portalUrl).host;
    const forms = [
      file.accession,
      `drs://${host}/${file.accession}`,
      `drs://${host}/${file.uuid}`,
      `drs://${host}/${file.itemType}/${file.accession}/@@drs`,
      `${portal.drsBase}/objects/${file.accession}`,
      `${portal.portalUrl}/${file.itemType}/${file.accession}/`,
      `${portal.portalUrl}/${file.accession}/`,
      `${portal.portalUrl}/${file.itemType}/${file.accession}/@@download/${file.fileName}`,
    ];
    const drs = drsClient();
    for (const form of forms) {
      const object = await drs.resolve(form);
      expect(object.id, form).toBe(file.accession);
      expect(object.checksums, form).toEqual([{ type: 'md5', value: file.md5 }]);
    }
  });

  it('refuses what is not an id, with the parser reason', async () => {
    const error = await drsClient()
      .resolve('drs://prefix:1234')
      .catch((e: AppError) => e);
    expect(error).toMatchObject({
      code: 'unsupported-id',
      message: expect.stringMatching(/^drs:\/\/prefix:1234: \S/),
    });
  });
});

describe('failures', () => {
  it('a bad key is auth-rejected, with what to do about it', async () => {
    const drs = drsClient({ ...keyOf(portal), secret: 'zzzzzzzzzzzzzzzz' });
    await expect(drs.resolve(released('current').accession)).rejects.toMatchObject({
      code: 'auth-rejected',
      message: `Key rejected by ${new URL(portal.portalUrl).host}: update it in Accounts or with \`4dn-dl keys add\`.`,
    });
  });

  it('an anonymous client reads metadata but is told to add a key to download', async () => {
    const drs = drsClient(null);
    const object = await drs.resolve(released('legacy').accession);
    await expect(drs.accessUrl(object)).rejects.toMatchObject({
      code: 'auth-missing',
      message: expect.stringMatching(/needs an access key .*`4dn-dl keys add` or --keypairs/),
    });
  });

  it('an unknown id is not-found', async () => {
    await expect(drsClient().resolve('TSTFI0000000')).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/^DRS object TSTFI0000000 was not found on 127\.0\.0\.1:\d+ \(/),
    });
  });

  it('a restricted file resolves but cannot be downloaded', async () => {
    const file = pick((f) => f.status === 'restricted');
    const drs = drsClient();
    const object = await drs.resolve(file.accession);
    await expect(drs.accessUrl(object)).rejects.toMatchObject({ code: 'restricted' });
  });

  it('retries a 503 with backoff, and a 429 after its Retry-After, then succeeds', async () => {
    const file = released('current');
    const drs = drsClient();
    portal.setFaults(file.accession, { drsStatus: { status: 503, times: 2 } });
    await expect(drs.resolve(file.accession)).resolves.toMatchObject({ id: file.accession });
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] ?? 0);
    sleeps.length = 0;
    portal.setFaults(file.accession, { drsStatus: { status: 429, retryAfter: 1, times: 1 } });
    await expect(drs.resolve(file.accession)).resolves.toMatchObject({ id: file.accession });
    expect(sleeps).toEqual([1000]);
  });

  it('gives up after a bounded number of tries with server-error', async () => {
    const file = released('current');
    portal.setFaults(file.accession, { drsStatus: { status: 503, retryAfter: 1, times: 50 } });
    await expect(drsClient().resolve(file.accession)).rejects.toMatchObject({
      code: 'server-error',
      message: expect.stringMatching(/answered 503 .* after 5 tries .*try again later/),
    });
    expect(sleeps).toEqual([1000, 1000, 1000, 1000]);
  });

  it('waits out 202 from /access as Retry-After says', async () => {
    const file = released('access-id');
    const drs = drsClient();
    const object = await drs.resolve(file.accession);
    portal.setFaults(file.accession, { accessPending: { retryAfter: 1, times: 2 } });
    const access = await drs.accessUrl(object);
    expect(sleeps).toEqual([1000, 1000]);
    expect(await md5Of(access)).toBe(file.md5);
  });
});

describe('resolveMany', () => {
  it('resolves a mix of good and bad ids, each on its own, in input order', async () => {
    const [a, b] = [released('current'), released('legacy')];
    const inputs = [
      b.accession,
      'TSTFI0000000',
      'garbage!',
      `${portal.portalUrl}/${a.accession}/`,
      a.accession,
    ];
    const results = await drsClient().resolveMany(inputs, { concurrency: 2 });
    expect(results.map((result) => result.input)).toEqual(inputs);
    expect(results.map((result) => (result.ok ? result.object.id : result.error.code))).toEqual([
      b.accession,
      'not-found',
      'unsupported-id',
      a.accession,
      a.accession,
    ]);
  });
});

describe('secrets', () => {
  it('never puts the secret in an error message, its JSON, or its stack', async () => {
    const credentials = keyOf(portal);
    const token = Buffer.from(`${credentials.keyId}:${credentials.secret}`).toString('base64');
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const file = released('current');
    const failures: Array<Promise<unknown>> = [
      drsClient({ ...credentials, secret: `${credentials.secret.slice(0, 15)}x` }).resolve(file.accession),
      drsClient().resolve('TSTFI0000000'),
      drsClient()
        .resolve(pick((f) => f.status === 'restricted').accession)
        .then((object) => drsClient().accessUrl(object)),
      new DrsClient({
        http: new HttpClient({
          credentials: { ...credentials, server: `http://127.0.0.1:${closedPort}` },
          sleep,
        }),
        defaultServer: `http://127.0.0.1:${closedPort}`,
      }).resolve(file.accession),
    ];
    portal.setFaults(file.accession, { drsStatus: { status: 500, times: 5 } });
    failures.push(drsClient().resolve(file.accession));
    const errors: AppError[] = [];
    for (const failure of failures) {
      await failure.then(
        () => expect.unreachable('should have failed'),
        (error: AppError) => errors.push(error),
      );
    }
    expect(errors.map((error) => error.code)).toEqual([
      'auth-rejected',
      'not-found',
      'restricted',
      'network',
      'server-error',
    ]);
    for (const error of errors) {
      const everything = [
        error.message,
        JSON.stringify(error),
        JSON.stringify(error.toInfo()),
        String(error.stack),
      ];
      for (const text of everything) {
        expect(text).not.toContain(credentials.secret);
        expect(text).not.toContain(token);
        expect(text).not.toMatch(/authorization/i);
      }
      expect(error.cause).toBeUndefined();
    }
  });
});
