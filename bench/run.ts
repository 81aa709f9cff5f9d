/**
 * `npm run bench`: our CLI side by side with the portal's own curl recipe and aria2c, against the sample portal
 * on loopback, in one run. Prints the ratios and writes bench/results.json. Not a test: figures vary by machine.
 *
 *   (a) one 1 GiB file                      4dn-dl get        vs curl -L --user + md5sum
 *   (b) one 256 MiB file, storage capped at 8 MiB/s per connection
 *                                           4dn-dl --segments 8  vs curl, and vs aria2c -x8 -s8
 *   (c) 1,000 files of 64 KiB from a list   4dn-dl -j 8 -i list  vs xargs curl (sequential), and vs aria2c -j8 -i
 *   (d) peak RSS downloading a 4 GiB file (and the 1 GiB one: flat in file size?)
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type SamplePortal, startSamplePortal } from '../test/portal/server.ts';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'out/main/cli.js');
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const quick = process.argv.includes('--quick');

interface Measured {
  wallSec: number;
  userSec: number;
  sysSec: number;
  maxRssMiB: number;
  code: number;
}

/** Runs a shell command under GNU time for CPU seconds and peak RSS of the whole process tree's largest member. */
function measure(command: string, cwd: string): Promise<Measured> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '@@TIME %U %S %M', 'bash', '-c', command], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSec = Number(process.hrtime.bigint() - started) / 1e9;
      const match = /@@TIME ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      if (!match) return reject(new Error(`no timing from: ${command}\n${stderr.slice(-2000)}`));
      if (code !== 0) return reject(new Error(`exit ${code}: ${command}\n${stderr.slice(-2000)}`));
      resolvePromise({
        wallSec,
        userSec: Number(match[1]),
        sysSec: Number(match[2]),
        maxRssMiB: Number(match[3]) / 1024,
        code: code ?? -1,
      });
    });
  });
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

function downloadUrl(portal: SamplePortal, accession: string): string {
  const file = portal.file(accession);
  return `${portal.portalUrl}/${file.itemType}/${accession}/@@download/${file.fileName}`;
}

/** aria2c scopes --http-user by host, not port, and would send Basic auth to storage: hand it storage URLs. */
async function storageUrl(portal: SamplePortal, accession: string): Promise<string> {
  const auth = Buffer.from(`${portal.key}:${portal.secret}`).toString('base64');
  const response = await fetch(downloadUrl(portal, accession), {
    headers: { authorization: `Basic ${auth}` },
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  if (response.status !== 307 || !location) throw new Error(`@@download answered ${response.status}`);
  return location;
}

async function verifyMd5(portal: SamplePortal, dir: string, accession: string): Promise<void> {
  const file = portal.file(accession);
  const out = await new Promise<string>((ok, fail) => {
    const child = spawn('md5sum', [join(dir, file.fileName)]);
    let text = '';
    child.stdout.on('data', (c: Buffer) => {
      text += c.toString();
    });
    child.on('close', (code) => (code === 0 ? ok(text) : fail(new Error(`md5sum exit ${code}`))));
  });
  if (!out.startsWith(file.md5)) throw new Error(`${file.fileName} on disk does not match its md5`);
}

async function fresh(base: string, name: string): Promise<string> {
  const dir = join(base, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

const ours = (portal: SamplePortal, args: string) =>
  `node ${quote(cli)} get ${args} --keypairs ${quote(portal.keypairsPath)} --json > /dev/null`;

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), '4dn-bench-'));
  const portal = await startSamplePortal({ files: 0, dataDir: join(work, 'portal') });
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, quick };
  try {
    const curlUser = `--user ${portal.key}:${portal.secret}`;

    // (a) one 1 GiB file.
    const big = portal.addFile({ size: quick ? 256 * MiB : GiB, format: 'pairs' });
    let dir = await fresh(work, 'a-curl');
    const aCurl = await measure(
      `curl -sS -f -L ${curlUser} -o ${big.fileName} ${quote(downloadUrl(portal, big.accession))} && md5sum ${big.fileName}`,
      dir,
    );
    await verifyMd5(portal, dir, big.accession);
    await rm(dir, { recursive: true });
    dir = await fresh(work, 'a-ours');
    const aOurs = await measure(ours(portal, `${big.accession} -o ${quote(dir)} --segments 1`), dir);
    await verifyMd5(portal, dir, big.accession);
    await rm(dir, { recursive: true });
    results.a = {
      sizeBytes: big.size,
      curlPlusMd5sum: aCurl,
      ours: aOurs,
      ratioWall: aOurs.wallSec / aCurl.wallSec,
      oursCpuSecPerGiB: (aOurs.userSec + aOurs.sysSec) / (big.size / GiB),
      curlCpuSecPerGiB: (aCurl.userSec + aCurl.sysSec) / (big.size / GiB),
    };

    // (b) one 256 MiB file, storage capped at 8 MiB/s per connection.
    const capped = portal.addFile({ size: quick ? 64 * MiB : 256 * MiB, format: 'mcool' });
    portal.setFaults(capped.accession, { throughputBytesPerSec: 8 * MiB });
    dir = await fresh(work, 'b-curl');
    const bCurl = await measure(
      `curl -sS -f -L ${curlUser} -o ${capped.fileName} ${quote(downloadUrl(portal, capped.accession))} && md5sum ${capped.fileName}`,
      dir,
    );
    await rm(dir, { recursive: true });
    dir = await fresh(work, 'b-aria2');
    const bAria = await measure(
      `aria2c -q -x8 -s8 -k1M --file-allocation=none --check-certificate=false -o ${capped.fileName} ${quote(await storageUrl(portal, capped.accession))} && md5sum ${capped.fileName}`,
      dir,
    );
    await verifyMd5(portal, dir, capped.accession);
    await rm(dir, { recursive: true });
    dir = await fresh(work, 'b-ours');
    const bOurs = await measure(ours(portal, `${capped.accession} -o ${quote(dir)} --segments 8`), dir);
    await verifyMd5(portal, dir, capped.accession);
    await rm(dir, { recursive: true });
    results.b = {
      sizeBytes: capped.size,
      curl: bCurl,
      aria2c: bAria,
      ours: bOurs,
      speedupVsCurl: bCurl.wallSec / bOurs.wallSec,
      ratioVsAria2c: bOurs.wallSec / bAria.wallSec,
    };

    // (c) 1,000 files of 64 KiB from a list.
    const count = quick ? 200 : 1000;
    const small = Array.from({ length: count }, () => portal.addFile({ size: 64 * 1024, format: 'bw' }));
    const listDir = await fresh(work, 'c-lists');
    const urls = small.map((f) => downloadUrl(portal, f.accession));
    await writeFile(join(listDir, 'urls.txt'), `${urls.join('\n')}\n`);
    await writeFile(join(listDir, 'accessions.txt'), `${small.map((f) => f.accession).join('\n')}\n`);
    const storageUrls: string[] = [];
    for (const f of small) storageUrls.push(`${await storageUrl(portal, f.accession)}\n  out=${f.fileName}`);
    await writeFile(join(listDir, 'aria2.txt'), `${storageUrls.join('\n')}\n`);
    dir = await fresh(work, 'c-curl');
    const cCurl = await measure(
      `cat ${quote(join(listDir, 'urls.txt'))} | xargs -n 1 curl -sS -f -O -L ${curlUser} && md5sum * > /dev/null`,
      dir,
    );
    await rm(dir, { recursive: true });
    dir = await fresh(work, 'c-aria2');
    const cAria = await measure(
      `aria2c -q -j8 --file-allocation=none -i ${quote(join(listDir, 'aria2.txt'))} && md5sum * > /dev/null`,
      dir,
    );
    await rm(dir, { recursive: true });
    dir = await fresh(work, 'c-ours');
    const cOurs = await measure(
      ours(portal, `-i ${quote(join(listDir, 'accessions.txt'))} -o ${quote(dir)} -j 8`),
      dir,
    );
    for (const f of small.slice(0, 20)) await verifyMd5(portal, dir, f.accession);
    await rm(dir, { recursive: true });
    results.c = {
      files: count,
      curlSequential: cCurl,
      aria2c: cAria,
      ours: cOurs,
      speedupVsCurl: cCurl.wallSec / cOurs.wallSec,
      ratioVsAria2c: cOurs.wallSec / cAria.wallSec,
    };

    // (d) peak RSS while downloading a 4 GiB file, next to the 1 GiB figure from (a): with the default settings
    // (segmented) and in one stream, since segments keep more buffers in flight.
    const huge = portal.addFile({ size: quick ? 512 * MiB : 4 * GiB, format: 'bam' });
    const dRuns: Record<string, Measured> = {};
    for (const [label, flags] of [
      ['defaults', ''],
      ['oneStream', ' --segments 1'],
    ] as const) {
      dir = await fresh(work, `d-${label}`);
      dRuns[label] = await measure(ours(portal, `${huge.accession} -o ${quote(dir)}${flags}`), dir);
      await verifyMd5(portal, dir, huge.accession);
      await rm(dir, { recursive: true });
    }
    const dOurs = dRuns.defaults as Measured;
    const dOne = dRuns.oneStream as Measured;
    results.d = {
      sizeBytes: huge.size,
      ours: dOurs,
      oursOneStream: dOne,
      peakRssMiB: dOurs.maxRssMiB,
      peakRssMiBOneStream: dOne.maxRssMiB,
      peakRssMiBAtSizeA: aOurs.maxRssMiB,
    };

    const a = results.a as { ratioWall: number; oursCpuSecPerGiB: number };
    const b = results.b as { speedupVsCurl: number; ratioVsAria2c: number };
    const c = results.c as { speedupVsCurl: number; ratioVsAria2c: number };
    const lines = [
      `(a) 1 file, ${(big.size / GiB).toFixed(2)} GiB: ours/curl+md5sum wall = ${a.ratioWall.toFixed(2)}x (target <= 0.8); CPU ${a.oursCpuSecPerGiB.toFixed(2)} s/GiB`,
      `(b) 8 MiB/s per connection: ours is ${b.speedupVsCurl.toFixed(1)}x curl (target >= 4); ours/aria2c wall = ${b.ratioVsAria2c.toFixed(2)}x (target <= 1)`,
      `(c) ${count} x 64 KiB: ours is ${c.speedupVsCurl.toFixed(1)}x sequential curl (target >= 5); ours/aria2c wall = ${c.ratioVsAria2c.toFixed(2)}x (target <= 1)`,
      `(d) peak RSS ${dOurs.maxRssMiB.toFixed(0)} MiB at ${(huge.size / GiB).toFixed(2)} GiB with default segments, ${dOne.maxRssMiB.toFixed(0)} MiB in one stream, vs ${aOurs.maxRssMiB.toFixed(0)} MiB at ${(big.size / GiB).toFixed(2)} GiB in one stream (target < 200 MB, flat)`,
    ];
    results.summary = lines;
    await writeFile(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(lines.join('\n'));
    console.log('Wrote bench/results.json');
  } finally {
    await portal.close();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
