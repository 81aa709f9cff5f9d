import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultSettings, Settings, type SettingsPatch } from '../../src-shared/domain/settings.ts';
import type { EventHub } from './events.ts';
import { writeFileAtomic } from './store/atomic-file.ts';

/**
 * Settings in <dataDir>/settings.json; unknown or invalid fields fall back to their defaults. Overrides (the
 * CLI's flags) apply on top for this process only and are never written back to the shared file.
 */
export class SettingsStore {
  private current: Settings;
  private readonly path: string;
  private readonly events: EventHub | undefined;
  private readonly overrides: SettingsPatch;

  private constructor(path: string, current: Settings, overrides: SettingsPatch, events?: EventHub) {
    this.path = path;
    this.current = current;
    this.overrides = overrides;
    this.events = events;
  }

  static async open(options: {
    dataDir: string;
    downloadDir: string;
    events?: EventHub;
    overrides?: SettingsPatch;
  }): Promise<SettingsStore> {
    const path = join(options.dataDir, 'settings.json');
    const defaults = defaultSettings(options.downloadDir);
    let stored: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
      if (parsed && typeof parsed === 'object') stored = parsed as Record<string, unknown>;
    } catch {
      /* first run, or an unreadable file: start from defaults */
    }
    const merged: Record<string, unknown> = { ...defaults };
    for (const [key, value] of Object.entries(stored)) {
      const field = Settings.shape[key as keyof Settings];
      if (field?.safeParse(value).success) merged[key] = value;
    }
    const overrides = Settings.partial().parse(stripUndefined(options.overrides ?? {}));
    return new SettingsStore(path, Settings.parse(merged), overrides, options.events);
  }

  get(): Settings {
    return { ...this.current, ...this.overrides };
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const next = Settings.parse({ ...this.current, ...stripUndefined(patch) });
    await writeFileAtomic(this.path, `${JSON.stringify(next, null, 2)}\n`);
    this.current = next;
    this.events?.emit('settings:changed', this.get());
    return this.get();
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
