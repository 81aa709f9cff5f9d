import { act, cleanup, render } from '@testing-library/react';
import { afterEach } from 'vitest';
import { App } from '../../../src-renderer/app.tsx';
import type { View } from '../../../src-renderer/store/app-store.ts';
import { StoresProvider } from '../../../src-renderer/store/context.tsx';
import { createStores, type Stores, startStores } from '../../../src-renderer/store/stores.ts';
import type { MemoryTransport } from './memory-transport.ts';

/** Stores with no waiting: queue events flush at once, parsing and disk checks run on the next tick. */
export function testStores(transport: MemoryTransport): Stores {
  return createStores(transport, {
    queue: { schedule: (flush) => flush() },
    add: { parseDelayMs: 0, diskDelayMs: 0 },
  });
}

/** Renders the whole app over a memory transport, started, on the given view. */
export async function renderApp(transport: MemoryTransport, view: View = 'queue') {
  const stores = testStores(transport);
  stores.app.getState().setView(view);
  let stop = () => {};
  const utils = await act(async () => {
    stop = startStores(stores);
    return render(
      <StoresProvider stores={stores}>
        <App />
      </StoresProvider>,
    );
  });
  stops.push(stop);
  return { stores, ...utils };
}

const stops: Array<() => void> = [];

/** Unmounts and stops stores after each test (vitest runs without globals, so RTL cannot do it itself). */
export function autoCleanup() {
  afterEach(() => {
    cleanup();
    for (const stop of stops.splice(0)) stop();
  });
}

/** Lets pending promises and zero-delay timers run, inside act so React applies the updates. */
export async function settle(rounds = 3) {
  for (let i = 0; i < rounds; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}
