import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingTools, missingToolsMessage, TOOL_PACKAGES } from '../support/system-tools.ts';

const root = resolve(import.meta.dirname, '../..');

async function packageList(): Promise<string[]> {
  const text = await readFile(join(root, 'scripts/system-packages.txt'), 'utf8');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

describe('the Debian packages the tests need', () => {
  it('README names exactly the packages of scripts/system-packages.txt, which .ci/run installs', async () => {
    const packages = await packageList();
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const line = /^sudo apt-get install (.+)$/m.exec(readme)?.[1];
    expect(line, 'README has a `sudo apt-get install ...` line listing the packages').toBeDefined();
    expect((line ?? '').trim().split(/\s+/)).toEqual(packages);
    const ci = await readFile(join(root, '.ci/run'), 'utf8');
    expect(ci).toContain('scripts/install-system-packages.sh');
    expect(ci).not.toMatch(/apt-get install/);
    const installer = await readFile(join(root, 'scripts/install-system-packages.sh'), 'utf8');
    expect(installer).toContain('system-packages.txt');
  });

  it('knows a listed package for every system tool a test runs', async () => {
    const packages = await packageList();
    for (const [tool, pkg] of Object.entries(TOOL_PACKAGES)) expect(packages, tool).toContain(pkg);
  });

  it('names the Debian package of a missing tool', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'no-tools-'));
    try {
      await writeFile(join(empty, 'curl'), '#!/bin/sh\n', { mode: 0o755 });
      expect(missingTools(['secret-tool', 'curl'], empty)).toEqual(['secret-tool']);
      const message = missingToolsMessage(['secret-tool', 'gnome-keyring-daemon', 'curl'], empty);
      expect(message).toBe(
        'missing secret-tool (Debian package libsecret-tools), gnome-keyring-daemon (Debian package ' +
          'gnome-keyring): run `sudo apt-get install libsecret-tools gnome-keyring`, or ' +
          '`sudo scripts/install-system-packages.sh` for everything the tests need',
      );
      expect(missingToolsMessage(['curl'], empty)).toBeUndefined();
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
