import { createHash } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../src-main/core/downloads/disk/file-system.ts';
import { Semaphore } from '../../src-main/core/downloads/queue/semaphore.ts';
import type { DownloadTarget } from '../../src-main/core/drs/download-source.ts';
import { checkFileOnDisk } from '../../src-main/core/handlers/file-check.ts';
import type { Checksum } from '../../src-shared/domain/drs.ts';
import { parseId } from '../../src-shared/ids/ids.ts';

/** files:verify's verdicts the sample portal cannot produce (it always publishes a good md5): a small fake source. */
describe('checkFileOnDisk', () => {
  let dir: string;
  const bytes = Buffer.from('the bytes of a downloaded file\n');
  const disk = { fs: nodeFileSystem, handles: new Semaphore(2) };
  const check = (fileName: string, checksums: Checksum[], size: number | undefined = bytes.length) => {
    const parsed = parseId('TSTFI0000001');
    if (!parsed.ok) throw new Error(parsed.reason);
    const target: DownloadTarget = { input: 'TSTFI0000001', id: parsed.id, fileName, checksums, size };
    return checkFileOnDisk(disk, async () => ({ target: async () => target }), dir, 'TSTFI0000001');
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-check-'));
    await writeFile(join(dir, 'a.txt'), bytes);
    await symlink(join(dir, 'a.txt'), join(dir, 'link.txt'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('verifies with the strongest checksum given', async () => {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const md5 = { type: 'md5', value: '0'.repeat(32) };
    expect(await check('a.txt', [md5, { type: 'sha-256', value: sha256 }])).toEqual({
      input: 'TSTFI0000001',
      path: join(dir, 'a.txt'),
      size: bytes.length,
      checksum: { type: 'sha-256', value: sha256 },
      status: 'verified',
    });
  });

  it('calls a file with no checksum, or one of a type it cannot hash, unverified and says why', async () => {
    expect(await check('a.txt', [])).toMatchObject({
      status: 'unverified',
      checksum: null,
      error: { code: 'unverifiable', message: 'The server gives no checksum for it.' },
    });
    expect(await check('a.txt', [{ type: 'crc32c', value: 'abcd' }])).toMatchObject({
      status: 'unverified',
      checksum: { type: 'crc32c', value: 'abcd' },
      error: {
        code: 'unverifiable',
        message: 'Cannot check: its checksum type "crc32c" is not one this app can check.',
      },
    });
  });

  it('fails a file of another size without reading it', async () => {
    expect(await check('a.txt', [{ type: 'md5', value: '0'.repeat(32) }], 5)).toMatchObject({
      status: 'failed',
      size: bytes.length,
      error: {
        code: 'checksum-mismatch',
        message: `Size ${bytes.length} bytes, expected 5: the file is incomplete or a different file.`,
      },
    });
  });

  it('refuses a link under the name, as a download refuses to write through one', async () => {
    const md5 = createHash('md5').update(bytes).digest('hex');
    expect(await check('link.txt', [{ type: 'md5', value: md5 }])).toMatchObject({
      status: 'failed',
      path: join(dir, 'link.txt'),
      size: null,
      error: { code: 'path-unsafe' },
    });
  });
});
