import { readFile, rename } from 'node:fs/promises';
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
    const { stored, notice } = await readStored(path);
    const merged: Record<string, unknown> = { ...defaults };
    for (const [key, value] of Object.entries(stored)) {
      // Own fields of the schema only: `constructor`, `toString` or `__proto__` in the file are just unknown.
      if (!Object.hasOwn(Settings.shape, key)) continue;
      const field = Settings.shape[key as keyof Settings];
      if (field.safeParse(value).success) merged[key] = value;
    }
    const overrides = Settings.partial().parse(stripUndefined(options.overrides ?? {}));
    const store = new SettingsStore(path, Settings.parse(merged), overrides, options.events);
    store.notice = notice;
    return store;
  }

  /** What went wrong reading the file, for the host to show once (undefined when all was well). */
  notice: string | undefined;

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

/**
 * The stored fields. A file that is not a JSON object is kept aside as settings.json.corrupt-<time> (never
 * lost, never a crash) and defaults are used; the notice says so.
 */
async function readStored(path: string): Promise<{ stored: Record<string, unknown>; notice?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { stored: {} };
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { stored: {}, notice: `Cannot read ${path} (${code}): using default settings for now.` };
  }
  let parsed: unknown;
  let problem: string | undefined;
  try {
    parsed = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) problem = 'it is not a JSON object';
  } catch {
    problem = 'it is not valid JSON';
  }
  if (problem === undefined) return { stored: parsed as Record<string, unknown> };
  const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    await rename(path, aside);
  } catch {
    return { stored: {}, notice: `${path} could not be used (${problem}): using default settings for now.` };
  }
  return {
    stored: {},
    notice: `${path} could not be used (${problem}): it was kept as ${aside} and default settings are used.`,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
