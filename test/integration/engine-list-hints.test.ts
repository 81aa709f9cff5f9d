import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AddItem } from '../../src-main/core/downloads/job/source.ts';
import { parseId } from '../../src-shared/ids/ids.ts';
import { type Harness, md5OfFile, startHarness } from './engine-harness.ts';

/** A row of the portal's metadata TSV as the list reader gives it: the @@download URL, md5 and size. */
function tsvRow(h: Harness, accession: string, md5: string, size: number): AddItem {
  const file = h.portal.file(accession);
  const input = `${h.portal.portalUrl}/${file.itemType}/${accession}/@@download/${file.fileName}`;
  const parsed = parseId(input);
  if (!parsed.ok) throw new Error(`not an id: ${input}`);
  return { input, id: parsed.id, md5, size };
}

async function downloadItems(h: Harness, items: AddItem[]) {
  const ids = h.engine.add(items, { destDir: h.downloadDir }).jobIds;
  await h.engine.whenIdle();
  return ids.map((id) => h.engine.job(id));
}

describe('a list that carries md5, size and URL (the metadata TSV)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    expect(h.portal.authorizationSentToStorage()).toBe(false);
    await h.reset();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('downloads and verifies against the list without asking DRS (DRS failing throughout)', async () => {
    const file = h.portal.file('TSTFIEJJHOK1');
    h.portal.setFaults(file.accession, { drsStatus: { status: 500, times: 1000 } });
    const [job] = await downloadItems(h, [tsvRow(h, file.accession, file.md5, file.size)]);
    expect(job).toMatchObject({ state: 'done', verification: 'verified', name: file.fileName });
    expect(await md5OfFile(join(h.downloadDir, file.fileName))).toBe(file.md5);
  });

  it("falls back to DRS when the list's md5 is wrong, and verifies against DRS's", async () => {
    const file = h.portal.file('TSTFIEJJHOK1');
    const [job] = await downloadItems(h, [tsvRow(h, file.accession, '0'.repeat(32), file.size)]);
    expect(job).toMatchObject({ state: 'done', verification: 'verified', name: file.fileName });
    expect(job?.attempts.map((a) => a.action).join('\n')).toMatch(/asking DRS/);
    expect(await md5OfFile(join(h.downloadDir, file.fileName))).toBe(file.md5);
  });

  it('falls back to DRS when the list names a file the portal no longer serves under that URL', async () => {
    const file = h.portal.file('TSTFIEJJHOK1');
    h.portal.setFaults(file.accession, { downloadStatus: { status: 404, times: 1 } });
    const [job] = await downloadItems(h, [tsvRow(h, file.accession, file.md5, file.size)]);
    expect(job).toMatchObject({ state: 'done', verification: 'verified' });
    expect(await md5OfFile(join(h.downloadDir, file.fileName))).toBe(file.md5);
  });
});
