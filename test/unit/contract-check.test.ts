import { afterEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../src-main/core/events.ts';
import { createRouter, type Handlers } from '../../src-main/core/router.ts';
import type { EventName, EventPayload } from '../../src-shared/ipc/contract.ts';
import {
  checkedHandlers,
  failOnContractViolations,
  takeContractViolations,
} from '../support/contract-check.ts';

/** The test-side router check: a handler's output must be exactly its channel's contract shape. */
describe('checkedHandlers', () => {
  const removed = (value: unknown) =>
    checkedHandlers({ 'profiles:remove': async (_input: { name: string }) => value as { removed: boolean } })[
      'profiles:remove'
    ]({
      name: 'lab',
    });

  it('passes an output of the contract shape through', async () => {
    expect(await removed({ removed: true })).toEqual({ removed: true });
  });

  it('fails a handler that returns a wrong shape', async () => {
    await expect(removed({ removed: 'yes' })).rejects.toThrow(/profiles:remove's output does not match/);
  });

  it('fails an output carrying a field the contract does not name, such as a secret', async () => {
    await expect(removed({ removed: true, secret: 'abcdefghijklmnop' })).rejects.toThrow(
      /carries fields the contract does not name/,
    );
  });
});

/**
 * test/support/contract-setup.ts (a vitest setup file) instruments every EventHub and router in the process:
 * these tests emit and answer through the real classes, with no wrapper of their own, and find the breach
 * recorded, so the afterEach of the setup file would fail the test. Each takes what it caused, so it passes.
 */
describe('the contract checked at runtime under test', () => {
  const hub = new EventHub();
  const emit = <E extends EventName>(name: E, payload: unknown) => hub.emit(name, payload as EventPayload<E>);
  afterEach(() => {
    takeContractViolations();
  });

  it('lets an event of the contract shape through, to its listeners, with nothing recorded', () => {
    const heard: unknown[] = [];
    hub.on('queue:batch-done', (payload) => heard.push(payload));
    emit('queue:batch-done', { done: 2, failed: 1 });
    expect(heard).toEqual([{ done: 2, failed: 1 }]);
    expect(takeContractViolations()).toEqual([]);
  });

  it('records an event whose payload breaks its schema, and failOnContractViolations throws it', () => {
    emit('queue:batch-done', { done: 'two', failed: 0 });
    expect(() => failOnContractViolations()).toThrow(
      /Contract violated under test \(1\):\nevent queue:batch-done does not match the contract at done/,
    );
    // Thrown once: the next test starts clean.
    expect(() => failOnContractViolations()).not.toThrow();
  });

  it('records an event carrying a field the contract does not name, such as a secret', () => {
    const profile = { name: 'lab', server: 'https://data.example.org', keyId: 'KEYID', source: 'keychain' };
    emit('profiles:changed', { profiles: [{ ...profile, secret: 'hunter2hunter2' }] });
    expect(takeContractViolations()).toEqual([
      expect.stringMatching(/^event profiles:changed carries fields the contract does not name: .*hunter2/),
    ]);
  });

  it('records an event name the contract does not list', () => {
    emit('queue:exploded' as EventName, {});
    expect(takeContractViolations()).toEqual(['event queue:exploded is not in the contract']);
  });

  it("records a router output carrying a secret, while the caller still gets the handler's answer", async () => {
    const router = createRouter({
      'profiles:remove': async () => ({ removed: true, secret: 'hunter2hunter2' }),
    } as unknown as Handlers);
    expect(await router.call('profiles:remove', { name: 'lab' })).toEqual({
      ok: true,
      value: { removed: true, secret: 'hunter2hunter2' },
    });
    expect(takeContractViolations()).toEqual([
      expect.stringMatching(/^profiles:remove's output carries fields the contract does not name/),
    ]);
  });

  it('records a router output of the wrong shape, and nothing for an error result', async () => {
    const router = createRouter({
      'profiles:remove': async () => ({ removed: 'yes' }),
      'profiles:list': async () => {
        throw new Error('keychain gone');
      },
    } as unknown as Handlers);
    await router.call('profiles:remove', { name: 'lab' });
    expect(await router.call('profiles:list', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(takeContractViolations()).toEqual([
      "profiles:remove's output does not match the contract at removed: Invalid input: expected boolean, received string",
    ]);
  });
});
