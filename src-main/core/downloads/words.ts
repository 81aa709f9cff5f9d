/** Byte counts as people read them in notes and messages: 1.2 GiB, 512 MiB, 730 B. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

export function formatSeconds(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 100) / 10);
  return seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
