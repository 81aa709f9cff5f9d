/** "1 download", "3 downloads": counts in the shell's OS-facing text (tray, notifications, dialogs). */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
