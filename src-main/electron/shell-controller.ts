import type { QueueTotals } from '../../src-shared/domain/job.ts';
import type { Settings } from '../../src-shared/domain/settings.ts';
import type { InvokeChannel, InvokeOutput, InvokeResult } from '../../src-shared/ipc/contract.ts';
import type { EventHub } from '../core/events.ts';
import type { Router } from '../core/router.ts';
import {
  badgeCount,
  closeAction,
  openTargetAction,
  type QuitPrompt,
  quitConfirmation,
  shouldBlockSleep,
  type TaskbarProgress,
  taskbarProgress,
} from './desktop-rules.ts';
import {
  batchDoneNotification,
  FailureTracker,
  failureNotification,
  type NotificationSpec,
  shouldNotify,
  trayHintNotification,
} from './notify-rules.ts';
import type { ShellState } from './shell-state.ts';
import type { TrayAction } from './tray-model.ts';

/** What the controller asks of the desktop; desktop-shell.ts does it with Electron, tests with a recorder. */
export interface ShellUi {
  /** The window as the user sees it, or undefined when there is none. */
  window(): { visible: boolean; focused: boolean } | undefined;
  showWindow(): void;
  hideWindow(): void;
  hasTray(): boolean;
  updateTray(totals: QueueTotals | undefined, windowVisible: boolean): void;
  setProgress(progress: TaskbarProgress): void;
  setBadge(count: number): void;
  notify(spec: NotificationSpec): void;
  /** Resolves true when the user chose to quit. */
  confirmQuit(prompt: QuitPrompt): Promise<boolean>;
  revealFile(path: string): void;
  openFolder(path: string): void;
  /** Ends the app; called once, after the core has closed. */
  exit(): void;
}

export interface ControllerDeps {
  core: { router: Router; events: EventHub; getSettings(): Settings; close(): Promise<void> };
  ui: ShellUi;
  sleep: { set(block: boolean): void };
  state: { get(): ShellState; update(patch: Partial<ShellState>): Promise<void> };
  platform: NodeJS.Platform;
  log(message: string): void;
  /** Shell teardown before the core closes (IPC handlers, event forwarding, the tray). */
  beforeClose?(): void;
  closeTimeoutMs?: number;
  refreshDelayMs?: number;
}

/**
 * The desktop app's behaviour, free of Electron: follows the core's events to keep the tray, taskbar,
 * badge, sleep block and notifications current, and decides what closing, quitting and tray clicks do.
 */
export class ShellController {
  private readonly deps: ControllerDeps;
  private readonly failures = new FailureTracker();
  private totals: QueueTotals | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private quitInProgress = false;
  private quitting = false;
  private exiting = false;

  constructor(deps: ControllerDeps) {
    this.deps = deps;
  }

  /** True once quitting is confirmed: windows may close for real. */
  get isQuitting(): boolean {
    return this.quitting;
  }

  /** True once the core has closed and the app may exit. */
  get readyToExit(): boolean {
    return this.exiting;
  }

  async start(): Promise<void> {
    const { events } = this.deps.core;
    events.on('queue:progress', ({ totals }) => {
      this.totals = totals;
      this.refreshSurfaces();
    });
    events.on('queue:changed', (change) => {
      const failed = failureNotification(this.failures.update(change));
      if (failed) this.notifyIfWanted(failed);
      this.scheduleRefresh();
    });
    events.on('queue:batch-done', (result) => {
      const done = batchDoneNotification(result);
      if (done) this.notifyIfWanted(done);
      void this.refreshTotals(false);
    });
    events.on('settings:changed', () => this.refreshSurfaces());
    await this.refreshTotals(true);
  }

  /** Tray, taskbar / dock progress, badge and the sleep block, from the latest totals. */
  refreshSurfaces(): void {
    const { ui } = this.deps;
    ui.updateTray(this.totals, ui.window()?.visible ?? false);
    ui.setProgress(taskbarProgress(this.totals));
    ui.setBadge(badgeCount(this.totals));
    this.deps.sleep.set(!this.quitting && shouldBlockSleep(this.totals, this.deps.core.getSettings()));
  }

  /** The window is closing: returns 'close' to let it, else the controller hides it or starts quitting. */
  windowClosing(): 'close' | 'hide' | 'quit' {
    const action = closeAction({
      platform: this.deps.platform,
      closeToTray: this.deps.core.getSettings().closeToTray,
      quitting: this.quitting,
      hasTray: this.deps.ui.hasTray(),
    });
    if (action === 'hide') {
      this.deps.ui.hideWindow();
      if (this.deps.platform !== 'darwin') void this.showTrayHintOnce();
    } else if (action === 'quit') {
      void this.requestQuit();
    }
    return action;
  }

  onTrayAction(action: TrayAction): void {
    if (action === 'open-window') this.deps.ui.showWindow();
    else if (action === 'quit') void this.requestQuit();
    else void this.deps.core.router.call(action === 'pause-all' ? 'queue:pause-all' : 'queue:resume-all', {});
  }

  /** The desktop side of a successful IPC call: queue:open-target shows the file or opens its folder. */
  afterCall(channel: InvokeChannel, input: unknown, result: InvokeResult<InvokeChannel>): void {
    if (channel !== 'queue:open-target' || !result.ok) return;
    const reveal = Boolean((input as { reveal?: unknown } | null)?.reveal);
    const action = openTargetAction(result.value as InvokeOutput<'queue:open-target'>, reveal);
    if (action.kind === 'reveal') this.deps.ui.revealFile(action.path);
    else this.deps.ui.openFolder(action.path);
  }

  /** Asks first when downloads would stop, lets the core put everything on disk, then exits. */
  async requestQuit(): Promise<void> {
    if (this.quitInProgress || this.exiting) return;
    this.quitInProgress = true;
    const prompt = quitConfirmation(this.totals);
    if (prompt && !(await this.deps.ui.confirmQuit(prompt))) {
      this.quitInProgress = false;
      return;
    }
    this.quitting = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.deps.beforeClose?.();
    this.deps.sleep.set(false);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.deps.core
        .close()
        .catch((error: unknown) => this.deps.log(`Core did not close cleanly: ${String(error)}`)),
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.deps.log('Core took too long to close; exiting anyway');
          resolve();
        }, this.deps.closeTimeoutMs ?? 10_000);
      }),
    ]);
    clearTimeout(timer);
    this.exiting = true;
    this.deps.ui.exit();
  }

  private async showTrayHintOnce(): Promise<void> {
    if (this.deps.state.get().trayHintShown) return;
    this.deps.ui.notify(trayHintNotification);
    await this.deps.state.update({ trayHintShown: true }).catch((error: unknown) => {
      this.deps.log(`Could not save desktop-shell.json: ${String(error)}`);
    });
  }

  private notifyIfWanted(spec: NotificationSpec): void {
    const focused = this.deps.ui.window()?.focused ?? false;
    if (shouldNotify(this.deps.core.getSettings(), focused)) this.deps.ui.notify(spec);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer || this.quitting) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refreshTotals(false);
    }, this.deps.refreshDelayMs ?? 500);
  }

  /** Totals come with progress events; a snapshot fills them in at start and when the queue goes quiet. */
  private async refreshTotals(seedFailures: boolean): Promise<void> {
    if (this.quitting) return;
    const result = await this.deps.core.router.call('queue:snapshot', {});
    if (!result.ok) return;
    const snapshot = result.value as InvokeOutput<'queue:snapshot'>;
    if (seedFailures) this.failures.seed(snapshot.jobs);
    this.totals = snapshot.totals;
    this.refreshSurfaces();
  }
}
