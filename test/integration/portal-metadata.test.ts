import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { authed, fileWhere } from '../../sample-portal/test-helpers.ts';

/** A copy of /work/shared/fixtures' example of the portal's exact format. */
const FIXTURE = new URL('../../sample-portal/fixtures/metadata_2026-11-20-14h-05m.tsv', import.meta.url);

let portal: SamplePortal;
let fixture: string;
beforeAll(async () => {
  portal = await startSamplePortal();
  fixture = await readFile(FIXTURE, 'utf8');
});
afterAll(() => portal.close());

/** Lines of a CRLF TSV, each split into cells; throws on a bare LF. */
function parse(tsv: string): string[][] {
  expect(tsv.endsWith('\r\n')).toBe(true);
  const lines = tsv.slice(0, -2).split('\r\n');
  for (const line of lines) expect(line).not.toContain('\n');
  return lines.map((line) => line.split('\t'));
}

/** The rows a client would download with the portal's own recipe (`tail -n +3 | grep -v ^#`). */
function liveUrls(rows: string[][]): string[] {
  return rows
    .slice(2)
    .filter((cells) => !cells[0]?.startsWith('#'))
    .map((cells) => cells[0] as string);
}

async function getTsv(query: string): Promise<{ response: Response; text: string }> {
  const response = await fetch(`${portal.portalUrl}/metadata/?${query}`);
  return { response, text: await response.text() };
}

describe('sample portal: the metadata TSV', () => {
  it('has the fixture structure: intro, header, CRLF, N/A cells and the summary block', async () => {
    const { response, text } = await getTsv('type=File');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/tab-separated-values');
    expect(response.headers.get('content-disposition')).toMatch(
      /attachment; filename="metadata_\d{4}-\d\d-\d\d-\d\dh-\d\dm\.tsv"/,
    );
    const rows = parse(text);
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
    expect(rows[0]?.[0]).toBe('###');
    expect(rows[0]?.[9]).toBe(
      `cut -f 1 ./${name} | tail -n +3 | grep -v ^# | xargs -n 1 curl -O -L [--user <access_key_id>:<access_key_secret>]`,
    );
    expect(rows[1]?.[0]).toBe('File Download URL');
    expect(rows[1]).toHaveLength(22);
    const expected = parse(fixture);
    expect(rows[1]).toEqual(expected[1]);
    expect(rows[0]?.slice(0, 9)).toEqual(expected[0]?.slice(0, 9));
    const summary = (table: string[][]) => table.filter((cells) => cells[0] === '###').slice(1, 7);
    expect(summary(rows).map((cells) => cells.length)).toEqual(
      summary(expected).map((cells) => cells.length),
    );
    expect(summary(rows).map((cells) => cells[1])).toEqual(summary(expected).map((cells) => cells[1]));
    const sectionTitles = (table: string[][]) =>
      table
        .filter((cells) => cells[1]?.startsWith('- '))
        .map((cells) =>
          cells[1]
            ?.replace(/\d+ /, 'N ')
            .replace('files which are', 'file which is')
            .replace(' files ', ' file '),
        );
    for (const title of sectionTitles(expected)) expect(sectionTitles(rows)).toContain(title);
    for (const cells of rows.slice(2).filter((c) => !c[0]?.startsWith('###\t') && c.length === 22))
      for (const cell of cells) expect(cell).not.toBe('');
  });

  it('lists live files with their download URL, md5 and size, and extra files right after their parent', async () => {
    const rows = parse((await getTsv('type=File')).text);
    const parent = fileWhere(portal, (f) => f.extraFiles.length > 0);
    const extra = parent.extraFiles[0] as (typeof parent.extraFiles)[number];
    const at = rows.findIndex(
      (cells) =>
        cells[0] ===
        `${portal.portalUrl}/${parent.itemType}/${parent.accession}/@@download/${parent.fileName}`,
    );
    expect(at).toBeGreaterThan(1);
    expect(rows[at]?.slice(3, 6)).toEqual([parent.accession, String(parent.size), parent.md5]);
    expect(rows[at + 1]?.[0]).toBe(portal.portalUrl + extra.href);
    expect(rows[at + 1]?.slice(3, 8)).toEqual([
      parent.accession,
      String(extra.size),
      extra.md5,
      rows[at]?.[6],
      extra.format,
    ]);
    expect(rows[at + 1]?.slice(15, 17)).toEqual(['secondary file for', parent.accession]);
    const live = liveUrls(rows);
    expect(new Set(live).size).toBe(live.length);
    const downloadable = portal.files.filter((f) => f.status !== 'restricted' && f.status !== 'uploading');
    expect(live).toHaveLength(
      downloadable.length + downloadable.reduce((n, f) => n + f.extraFiles.length, 0),
    );
  });

  it('comments out duplicate, restricted and not-yet-uploaded rows and sums them up', async () => {
    const rows = parse((await getTsv('type=File')).text);
    const lines = rows.map((cells) => cells.join('\t'));
    const restricted = fileWhere(portal, (f) => f.status === 'restricted');
    const uploading = fileWhere(portal, (f) => f.status === 'uploading');
    const duplicate = rows.find((cells) => cells[0]?.startsWith('### Duplicate of row '));
    const rowNumber = Number(/row (\d+):/.exec(duplicate?.[0] ?? '')?.[1]);
    const url = duplicate?.[0]?.replace(/^### Duplicate of row \d+: /, '');
    expect(rows[rowNumber - 1]?.[0]).toBe(url);
    expect(
      lines.some((line) =>
        line.startsWith(
          `### Restricted: ${portal.portalUrl}/${restricted.itemType}/${restricted.accession}/`,
        ),
      ),
    ).toBe(true);
    const notUploaded = rows.find((cells) => cells[0]?.startsWith('### Not Yet Uploaded: '));
    expect(notUploaded?.[3]).toBe(uploading.accession);
    expect(notUploaded?.slice(4, 6)).toEqual(['N/A', 'N/A']);
    const dataRows = rows.slice(2).filter((cells) => cells.length === 22);
    const value = (label: string) => rows.find((cells) => cells[1] === label)?.[4];
    expect(value('Files Selected for Download:')).toBe(String(dataRows.length));
    expect(value('Total File Rows:')).toBe(String(dataRows.length));
    expect(value('Unique Downloadable Files:')).toBe(String(liveUrls(rows).length));
    expect(lines).toContain(`###\t    - Details:\t${restricted.accession}.${restricted.format}\tRestricted`);
    expect(lines).toContain(
      `###\t    - Details:\t${uploading.accession}.${uploading.format}\tNot yet uploaded`,
    );
    expect(lines.some((line) => line.startsWith('###\t- Commented out 1 duplicate file'))).toBe(true);
  });

  it('selects by repeated accession= in request order, a repeat becoming a duplicate row', async () => {
    const [a, b] = portal.files.filter((f) => f.status === 'released' && f.extraFiles.length === 0);
    if (!a || !b) throw new Error('need two plain files');
    const rows = parse(
      (await getTsv(`accession=${b.accession}&accession=${a.accession}&accession=${b.accession}`)).text,
    );
    const data = rows.slice(2).filter((cells) => cells.length === 22);
    expect(data.map((cells) => cells[3])).toEqual([b.accession, a.accession, b.accession]);
    expect(data[2]?.[0]).toMatch(/^### Duplicate of row 3: /);
  });

  it('takes the same selection by POST and equals metadataTsv()', async () => {
    const file = fileWhere(portal, (f) => f.status === 'released');
    const posted = await fetch(`${portal.portalUrl}/metadata/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `accession=${file.accession}`,
    });
    expect(await posted.text()).toBe(portal.metadataTsv([file.accession]));
    expect((await getTsv('type=File')).text).toBe(portal.metadataTsv());
  });

  it('advertises a wrong md5 under the wrongMd5 fault', async () => {
    const file = fileWhere(portal, (f) => f.status === 'released' && f.extraFiles.length === 0);
    portal.setFaults(file.accession, { wrongMd5: true });
    try {
      const rows = parse((await getTsv(`accession=${file.accession}`)).text);
      const md5 = rows[2]?.[5];
      expect(md5).toMatch(/^[0-9a-f]{32}$/);
      expect(md5).not.toBe(file.md5);
    } finally {
      portal.clearFaults(file.accession);
    }
  });

  it('offers the older /batch_download/ files.txt', async () => {
    const response = await fetch(`${portal.portalUrl}/batch_download/?type=File`, {
      headers: authed(portal),
    });
    const lines = (await response.text()).trimEnd().split('\n');
    expect(lines[0]).toBe(`${portal.portalUrl}/metadata/?type=File`);
    expect(lines.slice(1)).toEqual(liveUrls(parse(portal.metadataTsv())));
  });

  it('answers a bad type with 400', async () => {
    const { response } = await getTsv('type=Nope');
    expect(response.status).toBe(400);
  });
});
