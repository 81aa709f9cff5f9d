/** How long a process stopping on a signal may take to close cleanly before it exits anyway. */
export const STOP_DEADLINE_MS = 5000;

/**
 * Arms the bound on a clean stop: whatever the close still awaits (a file-system call the OS never completes,
 * a socket that never drains), the process exits with `code` after `ms`. Partial bytes are already on disk.
 * The timer is unref'd, so it never keeps a process alive that would otherwise end.
 */
export function exitAfter(ms: number, code: number, say: (line: string) => void): void {
  setTimeout(() => {
    say(`Stopping took longer than ${Math.round(ms / 1000)} s: exiting now (partial downloads are kept).`);
    process.exit(code);
  }, ms).unref();
}
