import { describe, expect, it } from 'vitest';
import { checkedHandlers } from '../support/contract-check.ts';

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
