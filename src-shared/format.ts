/** Sizes, rates, durations and percentages as people read them, and byte sizes as people type them. */

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
export const UNKNOWN = '—';

/** Binary units with one decimal ('1.7 GiB', '64.0 KiB'); whole bytes below 1 KiB ('512 B'). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return UNKNOWN;
  if (n < 0) return `-${formatBytes(-n)}`;
  if (n < 1024) {
    const whole = Math.round(n);
    return whole < 1024 ? `${whole} B` : '1.0 KiB';
  }
  let value = n / 1024;
  let unit = 0;
  // Move up while the rounded value would read 1024.0 or more (1023.96 KiB is '1.0 MiB', not '1024.0 KiB').
  while (Math.round(value * 10) / 10 >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSec: number): string {
  if (!Number.isFinite(bytesPerSec) || bytesPerSec < 0) return UNKNOWN;
  return `${formatBytes(bytesPerSec)}/s`;
}

/** A wait or timeout in a sentence: '1.5 s', '30 s', '2 min'. */
export function formatSeconds(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 100) / 10);
  return seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** '9s', '4m 12s', '2h 05m', '3d 04h'; '—' when unknown (negative, NaN, Infinity). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return UNKNOWN;
  const total = Math.round(seconds);
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m ${pad2(total % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${pad2(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d ${pad2(hours % 24)}h`;
}

/**
 * '42.7%' (rounded down, so a file reads 100% only when it is done); '—' when the total is unknown.
 * A total of 0 with nothing left to do reads '100%'.
 */
export function formatPercent(done: number, total: number | undefined): string {
  if (total === undefined || !Number.isFinite(total) || total < 0 || !Number.isFinite(done)) return UNKNOWN;
  if (done >= total) return '100%';
  const tenths = Math.floor((Math.max(0, done) / total) * 1000);
  return `${(Math.min(tenths, 999) / 10).toFixed(1)}%`;
}

const SIZE_RE = /^(\d{1,20}(?:\.\d{1,10})?|\.\d{1,10}) ?([kmgtp](?:i?b)?|b)?$/i;
const MULTIPLIERS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

/**
 * Bytes from '8M', '8MiB', '8MB', '1.5G', '500k', '512B' or '1024'. Units are binary whatever their spelling,
 * as curl's and aria2's --limit-rate read them. Throws an Error naming the accepted forms on anything else.
 */
export function parseByteSize(text: string): number {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  const match = trimmed.length <= 40 ? SIZE_RE.exec(trimmed) : null;
  const shown = trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed;
  if (match === null) {
    throw new Error(
      `Not a size: "${shown}". Use a number of bytes with an optional unit, like 500k, 8M or 1.5G`,
    );
  }
  const unit = (match[2] ?? '').charAt(0).toLowerCase();
  const bytes = Math.floor(Number(match[1]) * (MULTIPLIERS[unit] ?? 1));
  if (!Number.isSafeInteger(bytes)) throw new Error(`Size too large: "${shown}"`);
  return bytes;
}

/** "1 file", "1,204 files": a count with its noun; `many` when the plural is more than an added s. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}
