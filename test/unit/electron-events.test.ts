import { describe, expect, it } from 'vitest';
import { EventHub } from '../../src-main/core/events.ts';
import type { EventMessage } from '../../src-main/electron/channels.ts';
import { createEventForwarder } from '../../src-main/electron/event-forwarder.ts';
import type { JobProgress, QueueTotals } from '../../src-shared/domain/job.ts';
import { defaultSettings } from '../../src-shared/domain/settings.ts';
import { eventNames } from '../../src-shared/ipc/contract.ts';

const totals = (bytesDone: number): QueueTotals => ({
  jobs: 2,
  active: 2,
  queued: 0,
  done: 0,
  failed: 0,
  paused: 0,
  bytesDone,
  bytesTotal: 1000,
  speed: 10,
});
const job = (id: string, bytesDone: number): JobProgress => ({
  id,
  state: 'downloading',
  bytesDone,
  speed: 5,
});

/** A forwarder on a real EventHub whose timer is in the test's hands. */
function setup() {
  const events = new EventHub();
  const batches: EventMessage[][] = [];
  const timers: (() => void)[] = [];
  const forwarder = createEventForwarder({
    events,
    send: (batch) => batches.push(batch),
    setTimer: (callback) => timers.push(callback),
    clearTimer: () => {},
  });
  const tick = () => {
    for (const timer of timers.splice(0)) timer();
  };
  return { events, batches, timers, tick, forwarder };
}

describe('the event forwarder', () => {
  it('sends nothing until the timer fires, then one batch with everything in order', () => {
    const { events, batches, timers, tick } = setup();
    events.emit('queue:changed', { jobs: [], removed: ['a'] });
    events.emit('queue:batch-done', { done: 2, failed: 1 });
    expect(batches).toEqual([]);
    expect(timers).toHaveLength(1);
    tick();
    expect(batches).toEqual([
      [
        { name: 'queue:changed', payload: { jobs: [], removed: ['a'] } },
        { name: 'queue:batch-done', payload: { done: 2, failed: 1 } },
      ],
    ]);
  });

  it('merges back-to-back progress: per job the newest, totals the newest', () => {
    const { events, batches, tick } = setup();
    events.emit('queue:progress', { jobs: [job('a', 10), job('b', 20)], totals: totals(30) });
    events.emit('queue:progress', { jobs: [job('a', 50)], totals: totals(70) });
    tick();
    expect(batches).toEqual([
      [{ name: 'queue:progress', payload: { jobs: [job('a', 50), job('b', 20)], totals: totals(70) } }],
    ]);
  });

  it('never merges progress across another event, so a later state is not overwritten by an older one', () => {
    const { events, batches, tick } = setup();
    events.emit('queue:progress', { jobs: [job('a', 10)], totals: totals(10) });
    events.emit('queue:changed', { jobs: [], removed: ['a'] });
    events.emit('queue:progress', { jobs: [job('b', 5)], totals: totals(15) });
    tick();
    expect(batches[0]?.map((message) => message.name)).toEqual([
      'queue:progress',
      'queue:changed',
      'queue:progress',
    ]);
  });

  it('forwards every contract event', () => {
    const { events, batches, forwarder } = setup();
    const payloads: Record<string, unknown> = {
      'queue:progress': { jobs: [], totals: totals(0) },
      'queue:changed': { jobs: [], removed: [] },
      'queue:batch-done': { done: 0, failed: 0 },
      'settings:changed': { ...defaultSettings('/home/me/4DN'), theme: 'dark' },
      'profiles:changed': { profiles: [] },
      'app:open-items': { items: [] },
    };
    for (const name of eventNames) events.emit(name, payloads[name] as never);
    forwarder.flush();
    expect(batches[0]?.map((message) => message.name)).toEqual(eventNames);
  });

  it('flush() sends at once; an empty flush sends nothing', () => {
    const { events, batches, forwarder } = setup();
    forwarder.flush();
    expect(batches).toEqual([]);
    events.emit('queue:batch-done', { done: 1, failed: 0 });
    forwarder.flush();
    expect(batches).toHaveLength(1);
  });

  it('stops forwarding once disposed and drops what was pending', () => {
    const { events, batches, tick, forwarder } = setup();
    events.emit('queue:batch-done', { done: 1, failed: 0 });
    forwarder.dispose();
    events.emit('queue:batch-done', { done: 2, failed: 0 });
    tick();
    forwarder.flush();
    expect(batches).toEqual([]);
  });
});
