import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  extractDrsLinks,
  launchFromSecondInstance,
  parseLaunchArgs,
} from '../../src-main/electron/drs-link.ts';

describe('extractDrsLinks', () => {
  it('finds drs:// links among other arguments', () => {
    expect(
      extractDrsLinks([
        '/opt/4DN Downloader/4dn-downloader',
        '--no-sandbox',
        'drs://data.4dnucleome.org/4DNFIXXXXXXX',
        'list.txt',
      ]),
    ).toEqual(['drs://data.4dnucleome.org/4DNFIXXXXXXX']);
  });

  it('normalises what launchers do to a link: case, trailing slash, quotes', () => {
    expect(
      extractDrsLinks([
        'DRS://Data.4DNucleome.org/4DNFIABCDEF1/',
        '"drs://data.4dnucleome.org/4DNFIABCDEF2"',
        '  drs://data.4dnucleome.org/4DNFIABCDEF3  ',
      ]),
    ).toEqual([
      'drs://data.4dnucleome.org/4DNFIABCDEF1',
      'drs://data.4dnucleome.org/4DNFIABCDEF2',
      'drs://data.4dnucleome.org/4DNFIABCDEF3',
    ]);
  });

  it('keeps the id case, ports, nested ids and compact identifiers', () => {
    expect(
      extractDrsLinks([
        'drs://localhost:8080/obj/Mixed_Case-1',
        'drs://drs.example.org/a/b/c',
        'drs://4dn:4DNFIXXXXXXX',
      ]),
    ).toEqual([
      'drs://localhost:8080/obj/Mixed_Case-1',
      'drs://drs.example.org/a/b/c',
      'drs://4dn:4DNFIXXXXXXX',
    ]);
  });

  it('drops duplicates', () => {
    expect(extractDrsLinks(['drs://h.org/x', 'drs://h.org/x/', 'drs://H.org/x'])).toEqual(['drs://h.org/x']);
  });

  it.each([
    'drs://',
    'drs://data.4dnucleome.org',
    'drs://data.4dnucleome.org/',
    'drs:data.4dnucleome.org/x',
    'drs://bad host/x',
    'drs://host/with space',
    'drs://host/x?query=1',
    'drs://host/x#frag',
    'https://data.4dnucleome.org/4DNFIXXXXXXX',
    `drs://host/${'a'.repeat(2100)}`,
  ])('refuses %s', (arg) => {
    expect(extractDrsLinks([arg])).toEqual([]);
  });
});

describe('parseLaunchArgs', () => {
  it('reads links and files after the executable of a packaged app, skipping switches', () => {
    expect(
      parseLaunchArgs(
        [
          'C:\\Program Files\\4DN Downloader\\4DN Downloader.exe',
          '--allow-file-access-from-files',
          'drs://data.4dnucleome.org/4DNFIXXXXXXX/',
          'lists/a.txt',
          '/abs/b.tsv',
          'lists/a.txt',
        ],
        { defaultApp: false, cwd: '/home/me' },
      ),
    ).toEqual({
      links: ['drs://data.4dnucleome.org/4DNFIXXXXXXX'],
      files: [resolve('/home/me', 'lists/a.txt'), '/abs/b.tsv'],
    });
  });

  it('skips the app path under `electron .`', () => {
    expect(parseLaunchArgs(['/usr/bin/electron', '.', 'x.txt'], { defaultApp: true, cwd: '/w' })).toEqual({
      links: [],
      files: [resolve('/w', 'x.txt')],
    });
    expect(parseLaunchArgs(['/usr/bin/electron', '.'], { defaultApp: true, cwd: '/w' })).toEqual({
      links: [],
      files: [],
    });
  });

  it("never takes the app's own folder for a list file, wherever a driver put it", () => {
    const argv = ['/usr/bin/electron', '--inspect=0', '/work/app', '--user-data-dir=/tmp/x', 'list.txt'];
    expect(parseLaunchArgs(argv, { defaultApp: true, cwd: '/w', appPath: '/work/app' })).toEqual({
      links: [],
      files: [resolve('/w', 'list.txt')],
    });
  });

  it('never takes other URLs or broken drs links for files', () => {
    expect(
      parseLaunchArgs(['exe', 'https://example.org/list.txt', 'drs://', 'drs:x'], {
        defaultApp: false,
        cwd: '/',
      }),
    ).toEqual({ links: [], files: [] });
  });
});

describe('launchFromSecondInstance', () => {
  it('prefers the argv the second instance sent itself', () => {
    const data = { argv: ['exe', 'drs://h.org/a', 'l.txt'], cwd: '/second', defaultApp: false };
    expect(
      launchFromSecondInstance(['exe', '--flag-added-by-chromium'], '/first', data, { defaultApp: false }),
    ).toEqual({
      links: ['drs://h.org/a'],
      files: [resolve('/second', 'l.txt')],
    });
  });

  it("falls back to Electron's argv when the data is missing or malformed", () => {
    const argv = ['exe', 'drs://h.org/b'];
    for (const data of [
      undefined,
      null,
      {},
      { argv: 'x', cwd: '/' },
      { argv: [1], cwd: '/' },
      { argv: [] },
    ]) {
      expect(launchFromSecondInstance(argv, '/w', data, { defaultApp: false }).links).toEqual([
        'drs://h.org/b',
      ]);
    }
  });
});
