import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The shell's own log (<logs>/main.log): start-up failures and shell-level problems, one line each.
 * Messages never carry secrets; the core reports its errors as values, not through here.
 */
export function createLog(logsDir: () => string): (message: string) => void {
  return (message) => {
    const line = `${new Date().toISOString()} ${message.replace(/\s+/g, ' ')}\n`;
    console.error(line.trimEnd());
    try {
      const dir = logsDir();
      mkdirSync(dir, { recursive: true });
      appendFileSync(join(dir, 'main.log'), line);
    } catch {
      /* a log that cannot be written must not take the app down */
    }
  };
}
