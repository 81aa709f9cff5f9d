import type { QueueTotals } from '../../src-shared/domain/job.ts';
import { formatBytes, formatDuration, formatRate, plural } from '../../src-shared/format.ts';
import { overallFraction as sharedFraction } from '../../src-shared/overall-progress.ts';

/** What the tray shows: downloading when anything moves, else idle. */
export type TrayState = 'idle' | 'downloading';

export type TrayAction = 'pause-all' | 'resume-all' | 'open-window' | 'quit';

export type TrayMenuItem =
  | { kind: 'label'; id: 'status' | 'progress'; label: string }
  | { kind: 'action'; id: TrayAction; label: string; enabled: boolean }
  | { kind: 'separator' };

export function trayState(totals: QueueTotals | undefined): TrayState {
  return totals && totals.active > 0 ? 'downloading' : 'idle';
}

/** Overall progress of the queue, 0..1, when the total size is known: the header's own definition. */
export function overallFraction(totals: QueueTotals | undefined): number | undefined {
  return totals ? sharedFraction(totals) : undefined;
}

export function percentText(fraction: number): string {
  return `${Math.floor(fraction * 100)}%`;
}

/** One line about the queue: what runs, waits, or needs attention. */
export function statusLine(totals: QueueTotals | undefined): string {
  if (!totals || totals.jobs === 0) return 'No downloads';
  const parts: string[] = [];
  if (totals.active > 0) parts.push(`${totals.active} active`);
  if (totals.queued > 0) parts.push(`${totals.queued} queued`);
  if (totals.paused > 0) parts.push(`${totals.paused} paused`);
  if (totals.failed > 0) parts.push(`${totals.failed} failed`);
  if (parts.length === 0) return `All ${plural(totals.done, 'download')} done`;
  return parts.join(', ');
}

/** Size, speed and time left while downloading, else undefined. */
export function progressLine(totals: QueueTotals | undefined): string | undefined {
  const fraction = overallFraction(totals);
  if (!totals || totals.active === 0 || fraction === undefined) return undefined;
  const parts = [`${percentText(fraction)} of ${formatBytes(totals.bytesTotal)}`, formatRate(totals.speed)];
  if (totals.eta !== undefined) parts.push(`${formatDuration(totals.eta)} left`);
  return parts.join(' · ');
}

export function trayTooltip(totals: QueueTotals | undefined): string {
  const progress = progressLine(totals);
  return ['4DN Downloader', statusLine(totals), ...(progress ? [progress] : [])].join('\n');
}

/** The text beside the macOS menu-bar icon: the overall percent while downloading, else nothing. */
export function trayTitle(totals: QueueTotals | undefined): string {
  const fraction = overallFraction(totals);
  return trayState(totals) === 'downloading' && fraction !== undefined ? percentText(fraction) : '';
}

/** The tray's context menu as data; tray.ts turns it into an Electron Menu. */
export function trayMenuModel(
  totals: QueueTotals | undefined,
  state: { windowVisible: boolean },
): TrayMenuItem[] {
  const progress = progressLine(totals);
  const pausable = (totals?.active ?? 0) + (totals?.queued ?? 0) > 0;
  const resumable = (totals?.paused ?? 0) > 0;
  return [
    { kind: 'label', id: 'status', label: statusLine(totals) },
    ...(progress ? [{ kind: 'label', id: 'progress', label: progress } as const] : []),
    { kind: 'separator' },
    { kind: 'action', id: 'pause-all', label: 'Pause all', enabled: pausable },
    { kind: 'action', id: 'resume-all', label: 'Resume all', enabled: resumable },
    { kind: 'separator' },
    {
      kind: 'action',
      id: 'open-window',
      label: state.windowVisible ? 'Show 4DN Downloader' : 'Open 4DN Downloader',
      enabled: true,
    },
    { kind: 'action', id: 'quit', label: 'Quit 4DN Downloader', enabled: true },
  ];
}

/**
 * The tray image for a platform and state, relative to assets/tray. macOS gets template images (the system
 * tints them; the @2x file beside each is found by Electron), Windows an .ico, Linux a PNG.
 */
export function trayIconFile(platform: NodeJS.Platform, state: TrayState): string {
  const active = state === 'downloading';
  if (platform === 'darwin') return active ? 'trayActiveTemplate.png' : 'trayTemplate.png';
  if (platform === 'win32') return active ? 'tray-active.ico' : 'tray.ico';
  return active ? 'tray-active.png' : 'tray.png';
}
