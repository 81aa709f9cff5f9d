import { describe, expect, it } from 'vitest';
import { EventHub } from '../../src-main/core/events.ts';
import { createRouter, type Handlers } from '../../src-main/core/router.ts';
import type { QuitPrompt, TaskbarProgress } from '../../src-main/electron/desktop-rules.ts';
import type { NotificationSpec } from '../../src-main/electron/notify-rules.ts';
import { ShellController, type ShellUi } from '../../src-main/electron/shell-controller.ts';
import type { ShellState } from '../../src-main/electron/shell-state.ts';
import type { Job, QueueTotals } from '../../src-shared/domain/job.ts';
import { defaultSettings, type Settings } from '../../src-shared/domain/settings.ts';
import { invokeChannels } from '../../src-shared/ipc/contract.ts';
import { waitUntil } from '../support/child-process.ts';
import { makeTotals, stateJob } from '../support/queue-fixtures.ts';

const totals = makeTotals;
const job = (id: string, state: Job['state']): Job =>
  stateJob(
    id,
    state,
    state === 'failed' ? { error: { code: 'network' as const, message: 'Connection reset' } } : {},
  );
const downloading = totals({ jobs: 4, active: 2, queued: 1, bytesDone: 300, bytesTotal: 1000, speed: 50 });

/** The desktop as a recorder: what the controller did to the window, tray, taskbar and OS. */
class RecordingUi implements ShellUi {
  windowState: { visible: boolean; focused: boolean } | undefined = { visible: true, focused: false };
  tray = true;
  answerQuit = true;
  readonly log: string[] = [];
  readonly notes: NotificationSpec[] = [];
  readonly prompts: QuitPrompt[] = [];
  progress: TaskbarProgress | undefined;
  badge: number | undefined;
  trayTotals: QueueTotals | undefined;
  exited = 0;

  window() {
    return this.windowState;
  }
  showWindow() {
    this.log.push('show');
  }
  hideWindow() {
    this.log.push('hide');
  }
  hasTray() {
    return this.tray;
  }
  updateTray(value: QueueTotals | undefined) {
    this.trayTotals = value;
  }
  setProgress(value: TaskbarProgress) {
    this.progress = value;
  }
  setBadge(count: number) {
    this.badge = count;
  }
  notify(spec: NotificationSpec) {
    this.notes.push(spec);
  }
  async confirmQuit(prompt: QuitPrompt) {
    this.prompts.push(prompt);
    return this.answerQuit;
  }
  revealFile(path: string) {
    this.log.push(`reveal ${path}`);
  }
  openFolder(path: string) {
    this.log.push(`open-folder ${path}`);
  }
  exit() {
    this.exited++;
  }
}

function setup(options: { snapshot?: { jobs: Job[]; totals: QueueTotals }; closeNever?: boolean } = {}) {
  const events = new EventHub();
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    invokeChannels.map((channel) => [
      channel,
      async () => {
        calls.push(channel);
        if (channel === 'queue:snapshot') return options.snapshot ?? { jobs: [], totals: totals({}) };
        if (channel === 'queue:open-target') return { path: '/d/a.pairs.gz', folder: '/d', exists: true };
        return { affected: 0 };
      },
    ]),
  ) as unknown as Handlers;
  let settings: Settings = defaultSettings('/d');
  let closed = 0;
  const core = {
    router: createRouter(handlers),
    events,
    getSettings: () => settings,
    close: () => {
      closed++;
      return options.closeNever ? new Promise<void>(() => {}) : Promise.resolve();
    },
  };
  let shellState: ShellState = { trayHintShown: false };
  const saved: ShellState[] = [];
  const sleep: boolean[] = [];
  const torn: string[] = [];
  const logged: string[] = [];
  const ui = new RecordingUi();
  const controller = new ShellController({
    core,
    ui,
    sleep: { set: (block) => sleep.push(block) },
    state: {
      get: () => shellState,
      update: async (patch) => {
        shellState = { ...shellState, ...patch };
        saved.push(shellState);
      },
    },
    platform: 'linux',
    log: (line) => logged.push(line),
    beforeClose: () => torn.push('ipc, forwarder, tray'),
    closeTimeoutMs: 20,
    refreshDelayMs: 1,
  });
  return {
    controller,
    events,
    ui,
    calls,
    sleep,
    saved,
    torn,
    logged,
    closed: () => closed,
    setSettings: (patch: Partial<Settings>) => {
      settings = { ...settings, ...patch };
      events.emit('settings:changed', settings);
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ShellController: following the queue', () => {
  it('starts from a snapshot: tray, taskbar, badge and sleep reflect it', async () => {
    const t = setup({ snapshot: { jobs: [], totals: downloading } });
    await t.controller.start();
    expect(t.calls).toEqual(['queue:snapshot']);
    expect(t.ui.trayTotals).toEqual(downloading);
    expect(t.ui.progress).toEqual({ progress: 0.3, mode: 'normal' });
    expect(t.ui.badge).toBe(3);
    expect(t.sleep.at(-1)).toBe(true);
  });

  it('updates everything on progress and lets the machine sleep once downloads stop', async () => {
    const t = setup();
    await t.controller.start();
    t.events.emit('queue:progress', { jobs: [], totals: downloading });
    expect(t.ui.badge).toBe(3);
    expect(t.sleep.at(-1)).toBe(true);
    t.events.emit('queue:progress', {
      jobs: [],
      totals: totals({ jobs: 4, done: 4, bytesDone: 9, bytesTotal: 9 }),
    });
    expect(t.ui.progress).toEqual({ progress: -1, mode: 'none' });
    expect(t.ui.badge).toBe(0);
    expect(t.sleep.at(-1)).toBe(false);
  });

  it('releases the sleep block as soon as the setting is turned off', async () => {
    const t = setup();
    await t.controller.start();
    t.events.emit('queue:progress', { jobs: [], totals: downloading });
    t.setSettings({ preventSleep: false });
    expect(t.sleep.at(-1)).toBe(false);
  });

  it('refreshes totals from a snapshot after changes settle', async () => {
    const t = setup();
    await t.controller.start();
    t.events.emit('queue:changed', { jobs: [], removed: [] });
    t.events.emit('queue:changed', { jobs: [], removed: [] });
    await waitUntil(
      () => t.calls.length >= 2,
      5000,
      () => `calls: ${t.calls.join(', ')}`,
    );
    // A batch's end asks at once: its snapshot comes next, so one for the two changes means they were merged.
    t.events.emit('queue:batch-done', { done: 0, failed: 0 });
    await waitUntil(
      () => t.calls.length >= 3,
      5000,
      () => `calls: ${t.calls.join(', ')}`,
    );
    expect(t.calls).toEqual(['queue:snapshot', 'queue:snapshot', 'queue:snapshot']);
  });
});

describe('ShellController: notifications', () => {
  it('announces a finished batch when the user is elsewhere', async () => {
    const t = setup();
    await t.controller.start();
    t.events.emit('queue:batch-done', { done: 5, failed: 1 });
    expect(t.ui.notes.map((note) => note.title)).toEqual(['Downloads finished with failures']);
  });

  it('stays quiet while the window has focus, and when notifications are off', async () => {
    const t = setup();
    await t.controller.start();
    t.ui.windowState = { visible: true, focused: true };
    t.events.emit('queue:batch-done', { done: 5, failed: 0 });
    t.ui.windowState = undefined;
    t.setSettings({ notifications: false });
    t.events.emit('queue:batch-done', { done: 5, failed: 0 });
    expect(t.ui.notes).toEqual([]);
  });

  it('announces a new failure once, but not failures that were there at start', async () => {
    const t = setup({ snapshot: { jobs: [job('old', 'failed')], totals: totals({ failed: 1 }) } });
    await t.controller.start();
    t.events.emit('queue:changed', { jobs: [job('old', 'failed'), job('new', 'failed')], removed: [] });
    t.events.emit('queue:changed', { jobs: [job('new', 'failed')], removed: [] });
    expect(t.ui.notes.map((note) => `${note.title}: ${note.body}`)).toEqual([
      'Download failed: new.pairs.gz: Connection reset',
    ]);
  });
});

describe('ShellController: closing the window', () => {
  it('hides to the tray, with a one-time notice that downloads go on', async () => {
    const t = setup();
    await t.controller.start();
    expect(t.controller.windowClosing()).toBe('hide');
    await tick();
    expect(t.controller.windowClosing()).toBe('hide');
    await tick();
    expect(t.ui.log).toEqual(['hide', 'hide']);
    expect(t.ui.notes.map((note) => note.kind)).toEqual(['tray-hint']);
    expect(t.saved).toEqual([{ trayHintShown: true }]);
    expect(t.closed()).toBe(0);
  });

  it('quits instead when the user turned close-to-tray off', async () => {
    const t = setup();
    await t.controller.start();
    t.setSettings({ closeToTray: false });
    expect(t.controller.windowClosing()).toBe('quit');
    await tick();
    expect(t.ui.exited).toBe(1);
    expect(t.controller.windowClosing()).toBe('close');
  });
});

describe('ShellController: quitting', () => {
  it('asks while downloads run; "Keep downloading" keeps everything running', async () => {
    const t = setup({ snapshot: { jobs: [], totals: downloading } });
    await t.controller.start();
    t.ui.answerQuit = false;
    await t.controller.requestQuit();
    expect(t.ui.prompts.map((prompt) => prompt.message)).toEqual(['Quit while 3 downloads are unfinished?']);
    expect(t.closed()).toBe(0);
    expect(t.ui.exited).toBe(0);
    expect(t.controller.readyToExit).toBe(false);
    expect(t.sleep.at(-1)).toBe(true);
  });

  it('on "Quit": tears the shell down, releases sleep, closes the core, then exits once', async () => {
    const t = setup({ snapshot: { jobs: [], totals: downloading } });
    await t.controller.start();
    await Promise.all([t.controller.requestQuit(), t.controller.requestQuit()]);
    expect(t.ui.prompts).toHaveLength(1);
    expect(t.torn).toEqual(['ipc, forwarder, tray']);
    expect(t.sleep.at(-1)).toBe(false);
    expect(t.closed()).toBe(1);
    expect(t.ui.exited).toBe(1);
    expect(t.controller.readyToExit).toBe(true);
    await t.controller.requestQuit();
    expect(t.ui.exited).toBe(1);
  });

  it('quits without asking when nothing is pending', async () => {
    const t = setup({ snapshot: { jobs: [], totals: totals({ jobs: 3, done: 3 }) } });
    await t.controller.start();
    await t.controller.requestQuit();
    expect(t.ui.prompts).toEqual([]);
    expect(t.ui.exited).toBe(1);
  });

  it('exits even when the core never finishes closing', async () => {
    const t = setup({ closeNever: true });
    await t.controller.start();
    await t.controller.requestQuit();
    expect(t.ui.exited).toBe(1);
    expect(t.logged).toEqual(['Core took too long to close; exiting anyway']);
  });
});

describe('ShellController: tray actions and open-target', () => {
  it('pauses and resumes everything through the router, opens the window, quits', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.onTrayAction('pause-all');
    t.controller.onTrayAction('resume-all');
    t.controller.onTrayAction('open-window');
    await tick();
    expect(t.calls.slice(1)).toEqual(['queue:pause-all', 'queue:resume-all']);
    expect(t.ui.log).toEqual(['show']);
    t.controller.onTrayAction('quit');
    await tick();
    expect(t.ui.exited).toBe(1);
  });

  it('shows a downloaded file in its folder, or opens the folder; never on a failed call', () => {
    const t = setup();
    const value = { path: '/d/a.pairs.gz', folder: '/d', exists: true };
    t.controller.afterCall('queue:open-target', { id: 'a', reveal: true }, { ok: true, value });
    t.controller.afterCall('queue:open-target', { id: 'a' }, { ok: true, value });
    t.controller.afterCall(
      'queue:open-target',
      { id: 'a', reveal: true },
      {
        ok: false,
        error: { code: 'not-found', message: 'No such job' },
      },
    );
    t.controller.afterCall('queue:pause-all', {}, { ok: true, value: { affected: 1 } });
    expect(t.ui.log).toEqual(['reveal /d/a.pairs.gz', 'open-folder /d']);
  });
});
