/**
 * Renders the app and tray icons from the SVG sources in assets/src into every file electron-builder and
 * the tray need: PNG sizes, .ico, .icns. Run `node scripts/icons.ts` after editing an SVG and commit the
 * results (`--preview DIR` also writes enlarged contact sheets to look at).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { encodeIcns, encodeIco, type IcnsType } from './icon-containers.ts';

const root = resolve(import.meta.dirname, '..');
const assets = join(root, 'assets');
const source = (name: string) => readFileSync(join(assets, 'src', name), 'utf8');

/** Below this size the detailed artwork turns to mush; a simplified drawing takes over. */
const SMALL_MAX = 48;
const APP_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const ICNS_ENTRIES: [IcnsType, number][] = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];
const TRAY_ICO_SIZES = [16, 20, 24, 32, 40, 48];

function render(svg: string, size: number): Buffer {
  return Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng());
}

const appSvg = source('icon.svg');
const appSmallSvg = source('icon-small.svg');
const appPng = (size: number) => render(size <= SMALL_MAX ? appSmallSvg : appSvg, size);

function write(path: string, data: Buffer): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, data);
  console.log(`${path.slice(root.length + 1)}  ${data.length} bytes`);
}

for (const size of APP_SIZES) write(join(assets, 'icons', `${size}x${size}.png`), appPng(size));
write(join(assets, 'icon.png'), appPng(1024));
write(join(assets, 'icon.ico'), encodeIco(ICO_SIZES.map(appPng)));
write(
  join(assets, 'icon.icns'),
  encodeIcns(ICNS_ENTRIES.map(([type, size]) => ({ type, png: appPng(size) }))),
);

const tray = join(assets, 'tray');
for (const [state, suffix] of [
  ['idle', ''],
  ['active', '-active'],
] as const) {
  const template = source(`tray-template-${state}.svg`);
  const color = source(`tray-color-${state}.svg`);
  const macName = state === 'idle' ? 'trayTemplate' : 'trayActiveTemplate';
  write(join(tray, `${macName}.png`), render(template, 16));
  write(join(tray, `${macName}@2x.png`), render(template, 32));
  write(join(tray, `tray${suffix}.ico`), encodeIco(TRAY_ICO_SIZES.map((size) => render(color, size))));
  write(join(tray, `tray${suffix}.png`), render(color, 24));
  write(join(tray, `tray${suffix}@2x.png`), render(color, 48));
}

const previewAt = process.argv.indexOf('--preview');
if (previewAt !== -1) writePreview(process.argv[previewAt + 1] ?? join(root, '.tmp', 'icons'));

/** Contact sheets: every small PNG enlarged with hard pixels, on light and dark backgrounds. */
function writePreview(dir: string): void {
  const files = [
    ...[16, 24, 32, 48, 64].map((size) => `icons/${size}x${size}.png`),
    'tray/trayTemplate.png',
    'tray/trayActiveTemplate.png',
    'tray/tray.png',
    'tray/tray-active.png',
  ];
  const cell = 140;
  const images = files
    .map((file, index) => {
      const data = readFileSync(join(assets, file)).toString('base64');
      return `<image x="${10 + index * cell}" y="10" width="128" height="128" style="image-rendering:optimizeSpeed"
        href="data:image/png;base64,${data}"/>`;
    })
    .join('\n');
  const width = files.length * cell + 10;
  for (const [name, background] of [
    ['light', '#f4f4f4'],
    ['dark', '#1e1e1e'],
  ]) {
    const sheet = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="150">
      <rect width="100%" height="100%" fill="${background}"/>${images}</svg>`;
    write(join(dir, `icons-${name}.png`), render(sheet, width));
  }
}
