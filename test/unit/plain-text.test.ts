import { describe, expect, it } from 'vitest';
import { normaliseDrsObject } from '../../src-main/core/drs/normalise.ts';
import { toFacets, toPortalFile } from '../../src-main/core/drs/portal-mapping.ts';
import { errorForResponse } from '../../src-main/core/http/errors.ts';
import { AppError, toErrorInfo } from '../../src-shared/domain/errors.ts';
import { plainName, plainText } from '../../src-shared/plain-text.ts';

// ESC sequences that would clear a terminal, set its title and ring its bell; C1 CSI; a bidi override.
const HOSTILE = 'ok\u001b[2J\u001b]0;pwned\u0007\u009b31m\u0085 \u202Eend\r\nnext\tcol';
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

describe('server text is data', () => {
  it('plainText keeps printable text and drops every control character; line breaks become spaces', () => {
    expect(plainText(HOSTILE)).toBe('ok[2J]0;pwned31m \u202Eend  next col');
    expect(plainText(HOSTILE)).not.toMatch(CONTROL);
    expect(plainText('Été: 4DNFI…')).toBe('Été: 4DNFI…');
    expect(plainName(HOSTILE)).toBe('ok[2J]0;pwned31m endnextcol');
  });

  it('no AppError message carries a control character, whatever a server said', () => {
    expect(new AppError('server-error', HOSTILE).message).not.toMatch(CONTROL);
    expect(toErrorInfo(new Error(HOSTILE)).message).not.toMatch(CONTROL);
    const error = errorForResponse(
      {
        url: 'https://portal.example/x',
        status: 500,
        body: Buffer.from(JSON.stringify({ title: `Boom${HOSTILE}`, description: '\u001b[31mred' })),
        authSent: false,
        attempts: 1,
      },
      'the file',
    );
    expect(error.message).toContain('Boomok[2J');
    expect(error.message).not.toMatch(CONTROL);
  });

  it('DRS objects and portal items lose control characters in every string shown', () => {
    const object = normaliseDrsObject(
      {
        id: `ACC\u001b[31m`,
        name: `name${HOSTILE}`,
        description: HOSTILE,
        aliases: [HOSTILE],
        size: 1,
        checksums: [],
        access_methods: [{ type: 'https', access_url: { url: `https://s3.example/a${HOSTILE}` } }],
      },
      'https://drs.example/ga4gh/drs/v1',
    );
    const accessUrl = object.accessMethods[0]?.accessUrl?.url;
    expect(accessUrl).toMatch(/^https:\/\/s3\.example\/aok/);
    for (const text of [object.id, object.name, object.description, accessUrl, ...object.aliases]) {
      expect(text).not.toMatch(CONTROL);
    }
    const file = toPortalFile(
      { accession: `A\u0007`, display_title: HOSTILE, lab: { display_title: HOSTILE }, '@type': [HOSTILE] },
      'https://portal.example',
    );
    for (const text of [file.accession, file.displayTitle, file.lab, ...file.type]) {
      expect(text).not.toMatch(CONTROL);
    }
    const [facet] = toFacets([{ field: 'lab', title: HOSTILE, terms: [{ key: HOSTILE, doc_count: 1 }] }]);
    expect(JSON.stringify(facet)).not.toMatch(/\\u00(1b|07|9b|85)/);
  });
});
