import { inflateSync } from 'node:zlib';

/**
 * PNG, ICO and ICNS read and written by hand: the containers are simple, and the packaging tests read
 * the committed icons back with the same code the generator wrote them with.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
}

export function isPng(data: Buffer): boolean {
  return data.length >= 24 && data.subarray(0, 8).equals(PNG_SIGNATURE);
}

export function readPngHeader(data: Buffer): PngHeader {
  if (!isPng(data) || data.toString('latin1', 12, 16) !== 'IHDR') throw new Error('Not a PNG file');
  return {
    width: data.readUInt32BE(16),
    height: data.readUInt32BE(20),
    bitDepth: data.readUInt8(24),
    colorType: data.readUInt8(25),
  };
}

/** Decodes an 8-bit RGBA, non-interlaced PNG (what resvg writes) into raw RGBA rows. */
export function decodePngRgba(data: Buffer): { width: number; height: number; pixels: Buffer } {
  const header = readPngHeader(data);
  if (header.bitDepth !== 8 || header.colorType !== 6) throw new Error('Only 8-bit RGBA PNGs are decoded');
  const idat: Buffer[] = [];
  for (let offset = 8; offset < data.length; ) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    if (type === 'IDAT') idat.push(data.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = header.width * 4;
  const pixels = Buffer.alloc(stride * header.height);
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= 4 ? (pixels[y * stride + x - 4] as number) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] as number) : 0;
      const upLeft = y > 0 && x >= 4 ? (pixels[(y - 1) * stride + x - 4] as number) : 0;
      pixels[y * stride + x] = ((line[x] as number) + predict(filter, left, up, upLeft)) & 0xff;
    }
  }
  return { width: header.width, height: header.height, pixels };
}

function predict(filter: number | undefined, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4: {
      const p = left + up - upLeft;
      const pa = Math.abs(p - left);
      const pb = Math.abs(p - up);
      const pc = Math.abs(p - upLeft);
      return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
    default:
      throw new Error(`Bad PNG filter type ${filter}`);
  }
}

export interface IcoEntry {
  width: number;
  height: number;
  data: Buffer;
}

/** An ICO holding PNG images (Windows Vista and later read these at every size). */
export function encodeIco(pngs: Buffer[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  const directory = Buffer.alloc(16 * pngs.length);
  let offset = header.length + directory.length;
  pngs.forEach((png, index) => {
    const { width, height } = readPngHeader(png);
    const at = index * 16;
    directory.writeUInt8(width >= 256 ? 0 : width, at);
    directory.writeUInt8(height >= 256 ? 0 : height, at + 1);
    directory.writeUInt8(0, at + 2);
    directory.writeUInt8(0, at + 3);
    directory.writeUInt16LE(1, at + 4);
    directory.writeUInt16LE(32, at + 6);
    directory.writeUInt32LE(png.length, at + 8);
    directory.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, directory, ...pngs]);
}

export function decodeIco(data: Buffer): IcoEntry[] {
  if (data.length < 6 || data.readUInt16LE(0) !== 0 || data.readUInt16LE(2) !== 1) {
    throw new Error('Not an ICO file');
  }
  const count = data.readUInt16LE(4);
  const entries: IcoEntry[] = [];
  for (let index = 0; index < count; index++) {
    const at = 6 + index * 16;
    const size = data.readUInt32LE(at + 8);
    const offset = data.readUInt32LE(at + 12);
    entries.push({
      width: data.readUInt8(at) || 256,
      height: data.readUInt8(at + 1) || 256,
      data: data.subarray(offset, offset + size),
    });
  }
  return entries;
}

/** ICNS element types that hold a PNG, with the pixel size each stands for. */
export const ICNS_TYPES = {
  icp4: 16,
  icp5: 32,
  icp6: 64,
  ic07: 128,
  ic08: 256,
  ic09: 512,
  ic10: 1024,
  ic11: 32,
  ic12: 64,
  ic13: 256,
  ic14: 512,
} as const;
export type IcnsType = keyof typeof ICNS_TYPES;

export interface IcnsEntry {
  type: string;
  data: Buffer;
}

export function encodeIcns(entries: { type: IcnsType; png: Buffer }[]): Buffer {
  const chunks = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

export function decodeIcns(data: Buffer): IcnsEntry[] {
  if (data.toString('latin1', 0, 4) !== 'icns' || data.readUInt32BE(4) !== data.length) {
    throw new Error('Not an ICNS file');
  }
  const entries: IcnsEntry[] = [];
  for (let offset = 8; offset < data.length; ) {
    const length = data.readUInt32BE(offset + 4);
    if (length < 8 || offset + length > data.length) throw new Error('Truncated ICNS element');
    entries.push({
      type: data.toString('latin1', offset, offset + 4),
      data: data.subarray(offset + 8, offset + length),
    });
    offset += length;
  }
  return entries;
}
