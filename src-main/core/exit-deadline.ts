/** How long a process stopping on a signal may take to close cleanly before it ends anyway. */
export const STOP_DEADLINE_MS = 5000;

/**
 * Arms the bound on a clean stop: whatever the close still awaits (a file-system call the OS never completes,
 * an input pipe that never ends), the process ends by `signal` after `ms`. Partial bytes are already on disk.
 * The timer is unref'd, so it never keeps alive a process that would otherwise end.
 */
export function endAfter(ms: number, signal: NodeJS.Signals, say: (line: string) => void): void {
  setTimeout(() => {
    say(`Stopping took longer than ${Math.round(ms / 1000)} s: ending now (partial downloads are kept).`);
    endBySignal(signal);
  }, ms).unref();
}

/**
 * Exits with `code` once no file-system call is pending: node's exit waits for its file-system threads, and one
 * blocked in a call that never returns (a read of a pipe that never ends, a hung mount) would hold the exit for
 * good, past any timer. Until the calls settle, the deadline armed by endAfter still runs.
 */
export function exitWhenSettled(code: number): void {
  if (!process.getActiveResourcesInfo().some((kind) => kind.startsWith('FSReq'))) process.exit(code);
  setTimeout(() => exitWhenSettled(code), 20).unref();
}

/** The signal's default action (our handlers dropped) ends the process in the kernel, as a shell expects. */
export function endBySignal(signal: NodeJS.Signals): void {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}
