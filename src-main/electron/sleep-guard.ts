import type { PowerSaveBlocker } from 'electron';

/** Holds one power-save block while asked to, and releases it when not; calls are idempotent. */
export class SleepGuard {
  private readonly blocker: Pick<PowerSaveBlocker, 'start' | 'stop'>;
  private id: number | undefined;

  constructor(blocker: Pick<PowerSaveBlocker, 'start' | 'stop'>) {
    this.blocker = blocker;
  }

  get active(): boolean {
    return this.id !== undefined;
  }

  set(block: boolean): void {
    if (block && this.id === undefined) {
      // Lets the display sleep; only the system must stay up for downloads to go on.
      this.id = this.blocker.start('prevent-app-suspension');
    } else if (!block && this.id !== undefined) {
      this.blocker.stop(this.id);
      this.id = undefined;
    }
  }
}
