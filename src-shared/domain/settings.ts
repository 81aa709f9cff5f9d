import { z } from 'zod';

export const Settings = z.object({
  downloadDir: z.string().min(1),
  /** Files downloading at once. */
  concurrency: z.number().int().min(1).max(32),
  /** Parallel segments per large file. */
  segments: z.number().int().min(1).max(16),
  /** Files smaller than segments x this are fetched in one piece. */
  minSegmentSize: z
    .number()
    .int()
    .min(64 * 1024),
  /** Bytes per second across all downloads; 0 means no cap. */
  bandwidthLimit: z.number().int().min(0),
  /** Seconds without a byte before a connection counts as stalled. */
  stallTimeoutSec: z.number().int().min(2).max(3600),
  closeToTray: z.boolean(),
  notifications: z.boolean(),
  preventSleep: z.boolean(),
  theme: z.enum(['system', 'light', 'dark']),
  defaultProfile: z.string().optional(),
});
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = Settings.partial();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export function defaultSettings(downloadDir: string): Settings {
  return {
    downloadDir,
    concurrency: 4,
    segments: 4,
    minSegmentSize: 8 * 1024 * 1024,
    bandwidthLimit: 0,
    stallTimeoutSec: 30,
    closeToTray: true,
    notifications: true,
    preventSleep: true,
    theme: 'system',
  };
}
