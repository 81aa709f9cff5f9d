/** Where a command reads and writes; real streams in main.ts, buffers in tests. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Resolves when the user presses Ctrl-C; commands stop cleanly and keep partial bytes. */
  interrupted: Promise<void>;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
