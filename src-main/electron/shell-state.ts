import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/store/atomic-file.ts';

/** What the desktop shell remembers besides the core's settings: one-time hints already shown. */
export interface ShellState {
  trayHintShown: boolean;
}

const DEFAULTS: ShellState = { trayHintShown: false };

export class ShellStateFile {
  private readonly path: string;
  private state: ShellState;

  private constructor(path: string, state: ShellState) {
    this.path = path;
    this.state = state;
  }

  /** Reads <dataDir>/desktop-shell.json; a missing or unreadable file means defaults. */
  static async open(dataDir: string): Promise<ShellStateFile> {
    const path = join(dataDir, 'desktop-shell.json');
    let state = { ...DEFAULTS };
    try {
      const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
      if (parsed && typeof parsed === 'object' && typeof (parsed as ShellState).trayHintShown === 'boolean') {
        state = { ...state, trayHintShown: (parsed as ShellState).trayHintShown };
      }
    } catch {
      /* first run */
    }
    return new ShellStateFile(path, state);
  }

  get(): ShellState {
    return this.state;
  }

  async update(patch: Partial<ShellState>): Promise<void> {
    this.state = { ...this.state, ...patch };
    await writeFileAtomic(this.path, `${JSON.stringify(this.state, null, 2)}\n`);
  }
}
