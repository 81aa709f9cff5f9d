import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { fileWhere } from '../../sample-portal/test-helpers.ts';
import { createPortalClients } from '../../src-main/core/drs/clients.ts';
import { createObjectsHandlers } from '../../src-main/core/handlers/objects.ts';
import { createPortalHandlers } from '../../src-main/core/handlers/portal.ts';
import { invoke } from '../../src-shared/ipc/contract.ts';
import { checkedHandlers } from '../support/contract-check.ts';

/** objects:resolve and portal:* against the sample portal; outputs must satisfy the contract's schemas. */
let portal: SamplePortal;
beforeAll(async () => {
  portal = await startSamplePortal();
});
afterAll(async () => {
  await portal?.close();
});

const profilesAsked: Array<string | undefined> = [];
const clients = () =>
  createPortalClients({
    server: portal.portalUrl,
    credentials: { server: portal.portalUrl, keyId: portal.key, secret: portal.secret },
  });

describe('objects and portal handlers', () => {
  it('objects:resolve answers per id, in order, in the contract shape', async () => {
    const handlers = checkedHandlers(
      createObjectsHandlers({
        drsFor: async (profile) => {
          profilesAsked.push(profile);
          return clients().drs;
        },
        downloadsFor: async () => clients().downloads,
      }),
    );
    const ids = [portal.files[0]?.accession ?? '', 'TSTFI0000000', portal.files[2]?.accession ?? ''];
    const output = await handlers['objects:resolve']({ ids, profile: 'work' });
    expect(invoke['objects:resolve'].output.parse(output)).toEqual(output);
    expect(output.results.map((r) => [r.input, r.ok])).toEqual([
      [ids[0], true],
      [ids[1], false],
      [ids[2], true],
    ]);
    const failed = output.results[1];
    expect(failed && !failed.ok && failed.error.code).toBe('not-found');
    expect(profilesAsked).toEqual(['work']);
  });

  it('files:preview tells what the queue would download: the <ACC>.<ext> name, size and md5 of that very file', async () => {
    const handlers = checkedHandlers(
      createObjectsHandlers({
        drsFor: async () => clients().drs,
        downloadsFor: async () => clients().downloads,
      }),
    );
    const current = fileWhere(portal, (f) => f.drsShape === 'current' && f.status === 'released');
    const legacy = fileWhere(portal, (f) => f.drsShape === 'legacy' && f.status === 'released');
    const accessId = fileWhere(portal, (f) => f.drsShape === 'access-id' && f.status === 'released');
    const uploading = fileWhere(portal, (f) => f.drsShape === 'none');
    const parent = fileWhere(portal, (f) => f.extraFiles.length > 0 && f.status === 'released');
    const extra = parent.extraFiles[0];
    if (!extra) throw new Error('no extra file');
    const restricted = fileWhere(portal, (f) => f.status === 'restricted');
    const ids = [
      current.accession,
      `drs://${new URL(portal.portalUrl).host}/${legacy.accession}`,
      accessId.accession,
      uploading.accession,
      `${portal.portalUrl}${extra.href}`,
      'TSTFI0000000',
      restricted.accession,
    ];
    const output = await handlers['files:preview']({ ids });
    expect(invoke['files:preview'].output.parse(output)).toEqual(output);
    const facts = output.results.map((r) =>
      r.ok
        ? [r.input, r.file.name, r.file.size, r.file.checksums[0]?.value, r.file.source]
        : [r.input, r.error.code],
    );
    expect(facts).toEqual([
      [ids[0], current.fileName, current.size, current.md5, 'drs'],
      // The legacy object's access URL is a bare @@download: the name comes from the portal item.
      [ids[1], legacy.fileName, legacy.size, legacy.md5, 'drs'],
      [ids[2], accessId.fileName, accessId.size, accessId.md5, 'drs'],
      [ids[3], 'not-found'],
      // An extra file shares its parent's accession, but not its size or md5.
      [ids[4], extra.fileName, extra.size, extra.md5, 'portal-item'],
      [ids[5], 'not-found'],
      [ids[6], 'restricted'],
    ]);
    // How each DRS object's bytes will be reached first, as Add shows it.
    expect(output.results.slice(0, 3).map((r) => r.ok && r.file.access)).toEqual([
      'https URL',
      'https URL',
      'https access id "https"',
    ]);
    // A file the portal lists but has no bytes for says why, as the queue would.
    const notUploaded = output.results[3];
    expect(notUploaded && !notUploaded.ok && notUploaded.error.message).toMatch(
      /no file to download .*uploading/,
    );
  });

  it('portal:search and portal:facets answer in the contract shape', async () => {
    const handlers = checkedHandlers(createPortalHandlers({ portalFor: async () => clients().portal }));
    const page = await handlers['portal:search']({ types: ['File'], limit: 3 });
    expect(invoke['portal:search'].output.parse(page)).toEqual(page);
    expect(page.items).toHaveLength(3);
    expect(page.total).toBe(portal.files.length);
    const facets = await handlers['portal:facets']({ types: ['File'] });
    expect(invoke['portal:facets'].output.parse(facets)).toEqual(facets);
    expect(facets.facets.map((facet) => facet.field)).toContain('file_format.file_format');
  });
});
