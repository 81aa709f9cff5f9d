import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPortalClients } from '../../src-main/core/drs/clients.ts';
import { createObjectsHandlers } from '../../src-main/core/handlers/objects.ts';
import { createPortalHandlers } from '../../src-main/core/handlers/portal.ts';
import { invoke } from '../../src-shared/ipc/contract.ts';
import { type SamplePortal, startSamplePortal } from '../portal/server.ts';

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
    const handlers = createObjectsHandlers({
      drsFor: async (profile) => {
        profilesAsked.push(profile);
        return clients().drs;
      },
    });
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

  it('portal:search and portal:facets answer in the contract shape', async () => {
    const handlers = createPortalHandlers({ portalFor: async () => clients().portal });
    const page = await handlers['portal:search']({ types: ['File'], limit: 3 });
    expect(invoke['portal:search'].output.parse(page)).toEqual(page);
    expect(page.items).toHaveLength(3);
    expect(page.total).toBe(portal.files.length);
    const facets = await handlers['portal:facets']({ types: ['File'] });
    expect(invoke['portal:facets'].output.parse(facets)).toEqual(facets);
    expect(facets.facets.map((facet) => facet.field)).toContain('file_format.file_format');
  });
});
