/**
 * The young-generation cap the CLI's shebang (bin/4dn-dl.js) also uses. It mattered most when node:http gave
 * every socket read a fresh buffer that waited there for a scavenge (4 GiB peaked at 203-208 MiB without it);
 * bodies now land in reused slabs (core/http/slab-pool.ts): without it the CLI peaks at about 142 MiB at 4 GiB
 * and the web host at 145-157 MiB (140 with it). V8 takes it only at startup, so it reaches Electron's main
 * process only from the command line it was launched with: on Linux electron-builder writes it into the
 * desktop entry (`linux.executableArgs`); macOS and Windows launchers take no arguments, so there the main
 * process runs with V8's default (near the 160 MB line at 4 GiB, by the web host's figures) and only the
 * processes Electron starts later (through `app.commandLine`) get it.
 */
export const V8_FLAGS = '--max-semi-space-size=1';

/** The switch as a launcher passes it to Electron. */
export const JS_FLAGS_ARG = `--js-flags=${V8_FLAGS}`;
