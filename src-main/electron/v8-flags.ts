/**
 * The young-generation cap the CLI's shebang (bin/4dn-dl.js) also uses: received socket buffers wait there for a
 * scavenge, and V8's default let a 1 GiB download hold ~50 MB more of them (docs/architecture.md, memory).
 * V8 takes it only at startup, so it reaches Electron's main process only from the command line it was launched
 * with: on Linux electron-builder writes it into the desktop entry (`linux.executableArgs`); macOS and Windows
 * launchers take no arguments, so there the main process runs with V8's default and only the processes
 * Electron starts later (through `app.commandLine`) get it.
 */
export const V8_FLAGS = '--max-semi-space-size=1';

/** The switch as a launcher passes it to Electron. */
export const JS_FLAGS_ARG = `--js-flags=${V8_FLAGS}`;
