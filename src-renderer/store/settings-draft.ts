import type { Settings, SettingsPatch } from '../../src-shared/domain/settings.ts';

export const KIB = 1024;
export const MIB = 1024 * 1024;

/** The form's values: numbers as typed, so a half-typed number is not forced into shape. */
export interface Draft {
  downloadDir: string;
  concurrency: string;
  segments: string;
  bandwidth: string;
  bandwidthUnit: 'KiB' | 'MiB';
  stallTimeoutSec: string;
  closeToTray: boolean;
  notifications: boolean;
  preventSleep: boolean;
  theme: Settings['theme'];
}

export function toDraft(s: Settings): Draft {
  const unit = s.bandwidthLimit >= MIB && s.bandwidthLimit % (MIB / 10) === 0 ? 'MiB' : 'KiB';
  const amount = s.bandwidthLimit / (unit === 'MiB' ? MIB : KIB);
  return {
    downloadDir: s.downloadDir,
    concurrency: String(s.concurrency),
    segments: String(s.segments),
    bandwidth: s.bandwidthLimit === 0 ? '0' : String(Math.round(amount * 10) / 10),
    bandwidthUnit: unit,
    stallTimeoutSec: String(s.stallTimeoutSec),
    closeToTray: s.closeToTray,
    notifications: s.notifications,
    preventSleep: s.preventSleep,
    theme: s.theme,
  };
}

export type DraftErrors = Partial<Record<keyof Draft, string>>;

function whole(text: string, min: number, max: number): number | null {
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/** The patch to save, or the fields that need fixing first (with what is allowed). */
export function fromDraft(d: Draft): { patch: SettingsPatch; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const concurrency = whole(d.concurrency, 1, 32);
  if (concurrency === null) errors.concurrency = 'A whole number from 1 to 32.';
  const segments = whole(d.segments, 1, 16);
  if (segments === null) errors.segments = 'A whole number from 1 to 16.';
  const stall = whole(d.stallTimeoutSec, 2, 3600);
  if (stall === null) errors.stallTimeoutSec = 'Seconds, from 2 to 3600.';
  const amount = Number(d.bandwidth || '0');
  if (!Number.isFinite(amount) || amount < 0) errors.bandwidth = 'A number; 0 means no limit.';
  if (!d.downloadDir.trim()) errors.downloadDir = 'Choose a folder.';
  const patch: SettingsPatch = {
    downloadDir: d.downloadDir.trim(),
    concurrency: concurrency ?? undefined,
    segments: segments ?? undefined,
    bandwidthLimit: Math.round(Math.max(0, amount) * (d.bandwidthUnit === 'MiB' ? MIB : KIB)),
    stallTimeoutSec: stall ?? undefined,
    closeToTray: d.closeToTray,
    notifications: d.notifications,
    preventSleep: d.preventSleep,
    theme: d.theme,
  };
  return { patch, errors };
}
