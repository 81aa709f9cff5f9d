import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  decodeIcns,
  decodeIco,
  decodePngRgba,
  encodeIcns,
  encodeIco,
  ICNS_TYPES,
  readPngHeader,
} from '../../scripts/icon-containers.ts';
import { TRAY_ICON_DIR, WINDOW_ICON } from '../../src-main/electron/assets.ts';
import { trayIconFile } from '../../src-main/electron/tray-model.ts';

/** Every icon the packaging config and the code name: present, well formed, and the right pixel sizes. */
const root = resolve(import.meta.dirname, '../..');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
  mac: { icon: string };
  win: { icon: string };
  linux: { icon: string };
};
const read = (path: string) => readFileSync(join(root, path));

function pngSize(data: Buffer): [number, number] {
  const { width, height } = readPngHeader(data);
  return [width, height];
}

describe('app icons for electron-builder', () => {
  it('macOS: an .icns with every size from 16 to 1024, each a PNG of the size its type stands for', () => {
    const entries = decodeIcns(read(config.mac.icon));
    expect(entries.map((entry) => entry.type).sort()).toEqual(Object.keys(ICNS_TYPES).sort());
    for (const { type, data } of entries) {
      const size = ICNS_TYPES[type as keyof typeof ICNS_TYPES];
      expect(pngSize(data), type).toEqual([size, size]);
    }
  });

  it('Windows: an .ico with 16 to 256, each entry matching its PNG', () => {
    const entries = decodeIco(read(config.win.icon));
    expect(entries.map((entry) => entry.width)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const entry of entries) expect(pngSize(entry.data)).toEqual([entry.width, entry.height]);
  });

  it('Linux: a folder of NxN.png files whose names match their pixels, up to 1024', () => {
    const dir = config.linux.icon;
    const names = readdirSync(join(root, dir)).filter((name) => name.endsWith('.png'));
    expect(names.map((name) => Number.parseInt(name, 10)).sort((a, b) => a - b)).toEqual([
      16, 24, 32, 48, 64, 128, 256, 512, 1024,
    ]);
    for (const name of names) {
      const [, w, h] = /^(\d+)x(\d+)\.png$/.exec(name) ?? [];
      expect(pngSize(read(join(dir, name))), name).toEqual([Number(w), Number(h)]);
    }
  });

  it('icon.png at 1024 and the SVG sources are there', () => {
    expect(pngSize(read('assets/icon.png'))).toEqual([1024, 1024]);
    for (const svg of ['icon.svg', 'icon-small.svg'])
      expect(existsSync(join(root, 'assets/src', svg))).toBe(true);
  });

  it('the window icon the code loads is a 512 px PNG', () => {
    expect(pngSize(read(WINDOW_ICON))).toEqual([512, 512]);
  });
});

describe('tray icons the code loads', () => {
  const states = ['idle', 'downloading'] as const;

  it('macOS: 16 px template images with a 32 px @2x, black and alpha only', () => {
    for (const state of states) {
      const file = trayIconFile('darwin', state);
      expect(file).toMatch(/Template\.png$/);
      const base = read(join(TRAY_ICON_DIR, file));
      const retina = read(join(TRAY_ICON_DIR, file.replace(/\.png$/, '@2x.png')));
      expect(pngSize(base)).toEqual([16, 16]);
      expect(pngSize(retina)).toEqual([32, 32]);
      for (const png of [base, retina]) {
        const { pixels } = decodePngRgba(png);
        let opaque = 0;
        for (let i = 0; i < pixels.length; i += 4) {
          if (pixels[i + 3] === 0) continue;
          opaque++;
          expect([pixels[i], pixels[i + 1], pixels[i + 2]], `${file} pixel ${i / 4}`).toEqual([0, 0, 0]);
        }
        expect(opaque).toBeGreaterThan(20);
      }
    }
  });

  it('the two macOS states differ, so the menu bar shows when downloads run', () => {
    expect(read(join(TRAY_ICON_DIR, trayIconFile('darwin', 'idle')))).not.toEqual(
      read(join(TRAY_ICON_DIR, trayIconFile('darwin', 'downloading'))),
    );
  });

  it('Windows: .ico files with the sizes 100% to 300% scaling asks for', () => {
    for (const state of states) {
      const entries = decodeIco(read(join(TRAY_ICON_DIR, trayIconFile('win32', state))));
      expect(entries.map((entry) => entry.width)).toEqual([16, 20, 24, 32, 40, 48]);
      for (const entry of entries) expect(pngSize(entry.data)).toEqual([entry.width, entry.height]);
    }
  });

  it('Linux: 24 px PNGs with a 48 px @2x', () => {
    for (const state of states) {
      const file = trayIconFile('linux', state);
      expect(pngSize(read(join(TRAY_ICON_DIR, file)))).toEqual([24, 24]);
      expect(pngSize(read(join(TRAY_ICON_DIR, file.replace(/\.png$/, '@2x.png'))))).toEqual([48, 48]);
    }
  });
});

describe('the container code itself', () => {
  const png16 = read('assets/icons/16x16.png');
  const png32 = read('assets/icons/32x32.png');

  it('round-trips ICO and ICNS', () => {
    const ico = decodeIco(encodeIco([png16, png32]));
    expect(ico.map((entry) => [entry.width, entry.data.equals(entry.width === 16 ? png16 : png32)])).toEqual([
      [16, true],
      [32, true],
    ]);
    const icns = decodeIcns(
      encodeIcns([
        { type: 'icp4', png: png16 },
        { type: 'icp5', png: png32 },
      ]),
    );
    expect(icns.map((entry) => entry.type)).toEqual(['icp4', 'icp5']);
    expect(icns[1]?.data.equals(png32)).toBe(true);
  });

  it('rejects what is not an icon', () => {
    expect(() => readPngHeader(Buffer.from('GIF89a................'))).toThrow(/Not a PNG/);
    expect(() => decodeIco(Buffer.from([1, 0, 1, 0]))).toThrow(/Not an ICO/);
    expect(() => decodeIcns(Buffer.from('icns\0\0\0\x20'))).toThrow(/Not an ICNS/);
  });

  it('decodes pixels: the app icon is opaque teal in the middle of its tile', () => {
    const { width, pixels } = decodePngRgba(read('assets/icons/64x64.png'));
    const at = (x: number, y: number) => [...pixels.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)];
    const [r, g, b, a] = at(8, 32);
    expect(a).toBe(255);
    expect(g as number).toBeGreaterThan(r as number);
    expect(at(0, 0)[3]).toBe(0);
    expect(b as number).toBeGreaterThan(r as number);
  });
});
