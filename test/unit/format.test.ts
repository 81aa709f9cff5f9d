import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  formatPercent,
  formatRate,
  parseByteSize,
  plural,
} from '../../src-shared/format.ts';

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe('formatBytes', () => {
  it('shows whole bytes below 1 KiB', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1)).toBe('1 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(511.6)).toBe('512 B');
  });

  it('uses binary units with one decimal', () => {
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(64 * KiB)).toBe('64.0 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1.7 * GiB)).toBe('1.7 GiB');
    expect(formatBytes(2345462672)).toBe('2.2 GiB');
    expect(formatBytes(5 * 1024 ** 4)).toBe('5.0 TiB');
    expect(formatBytes(3 * 1024 ** 6)).toBe('3.0 EiB');
  });

  it('moves to the next unit when rounding would show 1024.0', () => {
    expect(formatBytes(KiB - 0.6)).toBe('1023 B');
    expect(formatBytes(KiB - 0.5)).toBe('1.0 KiB');
    expect(formatBytes(MiB - 1)).toBe('1.0 MiB');
    expect(formatBytes(MiB - 52)).toBe('1023.9 KiB');
    expect(formatBytes(GiB - 1)).toBe('1.0 GiB');
    expect(formatBytes(1024 ** 7)).toBe('1024.0 EiB');
  });

  it('shows a dash for unknown sizes and a sign for negative ones', () => {
    expect(formatBytes(Number.NaN)).toBe('—');
    expect(formatBytes(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatBytes(-2048)).toBe('-2.0 KiB');
  });

  it('never shows 1024 or more in any unit below EiB', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1024 ** 6, noNaN: true }), (n) => {
        const match = /^(\d+(?:\.\d)?) (B|KiB|MiB|GiB|TiB|PiB|EiB)$/.exec(formatBytes(n));
        expect(match).not.toBeNull();
        expect(Number(match?.[1])).toBeLessThan(1024);
      }),
    );
  });
});

describe('formatRate', () => {
  it('adds /s', () => {
    expect(formatRate(41 * MiB)).toBe('41.0 MiB/s');
    expect(formatRate(0)).toBe('0 B/s');
    expect(formatRate(900)).toBe('900 B/s');
    expect(formatRate(Number.NaN)).toBe('—');
    expect(formatRate(-1)).toBe('—');
  });
});

describe('formatDuration', () => {
  it('reads as seconds, minutes, hours and days', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(9)).toBe('9s');
    expect(formatDuration(9.4)).toBe('9s');
    expect(formatDuration(59.4)).toBe('59s');
    expect(formatDuration(59.5)).toBe('1m 00s');
    expect(formatDuration(252)).toBe('4m 12s');
    expect(formatDuration(3599)).toBe('59m 59s');
    expect(formatDuration(3600)).toBe('1h 00m');
    expect(formatDuration(2 * 3600 + 5 * 60 + 59)).toBe('2h 05m');
    expect(formatDuration(86_399)).toBe('23h 59m');
    expect(formatDuration(86_400 * 3 + 4 * 3600)).toBe('3d 04h');
  });

  it('shows a dash when unknown', () => {
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
  });
});

describe('formatPercent', () => {
  it('rounds down to a tenth, reaching 100% only when done', () => {
    expect(formatPercent(0, 100)).toBe('0.0%');
    expect(formatPercent(427, 1000)).toBe('42.7%');
    expect(formatPercent(4279, 10000)).toBe('42.7%');
    expect(formatPercent(9999, 10000)).toBe('99.9%');
    expect(formatPercent(999_999, 1_000_000)).toBe('99.9%');
    expect(formatPercent(100, 100)).toBe('100%');
    expect(formatPercent(150, 100)).toBe('100%');
    expect(formatPercent(0, 0)).toBe('100%');
    expect(formatPercent(-5, 100)).toBe('0.0%');
  });

  it('shows a dash when the total is unknown', () => {
    expect(formatPercent(5, undefined)).toBe('—');
    expect(formatPercent(5, Number.NaN)).toBe('—');
    expect(formatPercent(Number.NaN, 10)).toBe('—');
    expect(formatPercent(5, -1)).toBe('—');
  });
});

describe('parseByteSize', () => {
  it('reads plain bytes and binary units however they are spelled', () => {
    expect(parseByteSize('1024')).toBe(1024);
    expect(parseByteSize('0')).toBe(0);
    expect(parseByteSize('512B')).toBe(512);
    expect(parseByteSize('500k')).toBe(500 * KiB);
    expect(parseByteSize('500K')).toBe(500 * KiB);
    expect(parseByteSize('8M')).toBe(8 * MiB);
    expect(parseByteSize('8MiB')).toBe(8 * MiB);
    expect(parseByteSize('8MB')).toBe(8 * MiB);
    expect(parseByteSize('8 mb')).toBe(8 * MiB);
    expect(parseByteSize(' 1.5G ')).toBe(1.5 * GiB);
    expect(parseByteSize('.5k')).toBe(512);
    expect(parseByteSize('2T')).toBe(2 * 1024 ** 4);
    expect(parseByteSize('1.1')).toBe(1);
  });

  it('throws a clear error on junk', () => {
    for (const junk of [
      '',
      'fast',
      '8X',
      '-1M',
      '1e6',
      '8 M B',
      '1,5G',
      'MiB',
      '8iB',
      'Infinity',
      'NaN',
      '1..5k',
    ]) {
      expect(() => parseByteSize(junk), junk).toThrow(/^Not a size: ".*"\. Use a number of bytes/);
    }
    expect(() => parseByteSize('99999999P')).toThrow(/^Size too large/);
  });

  it('does not echo a huge input back', () => {
    const error = (() => {
      try {
        parseByteSize('9'.repeat(1_000_000));
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message.length).toBeLessThan(200);
  });

  it('round-trips whole numbers of KiB, MiB and GiB', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.constantFrom(['k', KiB], ['M', MiB], ['G', GiB]),
        (n, [unit, factor]) => {
          expect(parseByteSize(`${n}${unit}`)).toBe(n * (factor as number));
        },
      ),
    );
  });
});

describe('plural', () => {
  it('counts with the right noun form and thousands separators', () => {
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(0, 'file')).toBe('0 files');
    expect(plural(1204, 'download')).toBe('1,204 downloads');
    expect(plural(1, 'download is', 'downloads are')).toBe('1 download is');
    expect(plural(3, 'download is', 'downloads are')).toBe('3 downloads are');
  });
});
