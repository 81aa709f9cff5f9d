import { UsageError } from './exit-codes.ts';
import type { CliIo } from './io.ts';

/**
 * Reads a secret without it ever touching argv (shell history, `ps`): from a terminal prompt with echo off, or
 * the first line of standard input when it is piped (`pass show 4dn | 4dn-dl keys add ...`).
 */
export async function readSecret(io: CliIo, prompt: string): Promise<string> {
  const secret = io.stdin.isTTY ? await promptHidden(io, prompt) : await firstLine(io.stdin);
  const trimmed = secret.trim();
  if (!trimmed) throw new UsageError('No secret given: type it at the prompt or pipe it on standard input.');
  return trimmed;
}

async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += chunk.toString();
    const end = text.search(/\r?\n/);
    if (end >= 0) return text.slice(0, end);
    if (text.length > 10_000) break;
  }
  return text;
}

function promptHidden(io: CliIo, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = io.stdin;
    io.stderr.write(prompt);
    stdin.setRawMode?.(true);
    stdin.resume();
    let typed = '';
    const done = (error?: Error) => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n' || char === '\u0004') return done();
        if (char === '\u0003') return done(new UsageError('Canceled.'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}
