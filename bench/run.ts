/**
 * `npm run bench`: our CLI side by side with the portal's own curl recipe and aria2c, against the sample portal
 * on loopback, in one run. Prints the ratios and writes bench/results.json. Not a test: figures vary by machine.
 *
 *   (a) one 1 GiB file                      4dn-dl get        vs curl -L --user + md5sum
 *   (b) one 256 MiB file, storage capped at 8 MiB/s per connection
 *                                           4dn-dl --segments 8  vs curl, and vs aria2c -x8 -s8
 *   (c) 1,000 files of 64 KiB from a list   4dn-dl -j 8 -i list  vs xargs curl (sequential), and vs aria2c -j8 -i
 *   (c') the same 1,000 files given as the portal's metadata TSV (md5, size and URL per row)
 *   (d) peak RSS downloading a 4 GiB file (and the 1 GiB one: flat in file size?)
 *
 * Every case also runs its floors on the same file(s): md5sum alone (reading from the page cache) and curl into
 * /dev/null; CPU seconds (user + sys) are printed for every tool, and ours/floor for wall and CPU.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type SamplePortal, startSamplePortal } from '../sample-portal/server.ts';
import { downloadUrl, fetchMetadataTsv, storageUrl } from './portal-fetch.ts';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'bin/4dn-dl.js');
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

const cpu = (m: Measured) => m.userSec + m.sysSec;

/** Case (c)'s tools run this many times each, taking turns; their medians are reported. */
const ROUNDS = 3;

/** Each figure's median over the runs (so wall and CPU may come from different runs). */
function median(runs: Measured[]): Measured {
  const mid = (pick: (m: Measured) => number) => {
    const sorted = runs.map(pick).sort((x, y) => x - y);
    return sorted[Math.floor(sorted.length / 2)] as number;
  };
  return {
    wallSec: mid((m) => m.wallSec),
    userSec: mid((m) => m.userSec),
    sysSec: mid((m) => m.sysSec),
    maxRssMiB: mid((m) => m.maxRssMiB),
    code: 0,
  };
}

/** One line per tool: wall, CPU, peak RSS. */
function table(label: string, runs: Record<string, Measured>): string[] {
  return [
    label,
    ...Object.entries(runs).map(
      ([tool, m]) =>
        `    ${tool.padEnd(24)} wall ${m.wallSec.toFixed(2)} s  cpu ${cpu(m).toFixed(2)} s (user ${m.userSec.toFixed(2)} + sys ${m.sysSec.toFixed(2)})  peak ${m.maxRssMiB.toFixed(0)} MiB`,
    ),
  ];
}

/** Ours over the floors (curl into /dev/null plus md5sum of the same bytes): what a verified download must cost. */
function overFloor(ours: Measured, curlNull: Measured, md5sum: Measured) {
  return {
    wall: ours.wallSec / (curlNull.wallSec + md5sum.wallSec),
    cpu: cpu(ours) / (cpu(curlNull) + cpu(md5sum)),
  };
}

/** Through bin/4dn-dl.js as a user runs it: its shebang carries the V8 flags. */
const ours = (portal: SamplePortal, args: string) =>
  `${quote(cli)} get ${args} --keypairs ${quote(portal.keypairsPath)} --json > /dev/null`;

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
    // Floors: md5sum alone on the same file (in the page cache), and curl into /dev/null.
    const aMd5sum = await measure(`md5sum ${big.fileName}`, dir);
    const aCurlNull = await measure(
      `curl -sS -f -L ${curlUser} -o /dev/null ${quote(downloadUrl(portal, big.accession))}`,
      dir,
    );
    await rm(dir, { recursive: true });
    dir = await fresh(work, 'a-ours');
    const aOurs = await measure(ours(portal, `${big.accession} -o ${quote(dir)} --segments 1`), dir);
    await verifyMd5(portal, dir, big.accession);
    await rm(dir, { recursive: true });
    results.a = {
      sizeBytes: big.size,
      curlPlusMd5sum: aCurl,
      md5sumAlone: aMd5sum,
      curlToDevNull: aCurlNull,
      ours: aOurs,
      ratioWall: aOurs.wallSec / aCurl.wallSec,
      ratioCpu: cpu(aOurs) / cpu(aCurl),
      oursOverFloor: overFloor(aOurs, aCurlNull, aMd5sum),
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
    const bMd5sum = await measure(`md5sum ${capped.fileName}`, dir);
    await rm(dir, { recursive: true });
    const bCurlNull = await measure(
      `curl -sS -f -L ${curlUser} -o /dev/null ${quote(downloadUrl(portal, capped.accession))}`,
      work,
    );
    dir = await fresh(work, 'b-ours');
    const bOurs = await measure(ours(portal, `${capped.accession} -o ${quote(dir)} --segments 8`), dir);
    await verifyMd5(portal, dir, capped.accession);
    await rm(dir, { recursive: true });
    results.b = {
      sizeBytes: capped.size,
      curl: bCurl,
      aria2c: bAria,
      md5sumAlone: bMd5sum,
      curlToDevNull: bCurlNull,
      ours: bOurs,
      oursOverFloor: overFloor(bOurs, bCurlNull, bMd5sum),
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
    const cMd5sum = await measure('md5sum * > /dev/null', dir);
    await rm(dir, { recursive: true });
    const cCurlNull = await measure(
      `cat ${quote(join(listDir, 'urls.txt'))} | xargs -n 100 -P 8 curl -sS -f -L ${curlUser} -o /dev/null`,
      work,
    );
    await writeFile(
      join(listDir, 'storage-urls.txt'),
      `${storageUrls.map((line) => line.split('\n')[0]).join('\n')}\n`,
    );
    // (c') the same files as the portal's metadata TSV: md5, size and URL per row, so no DRS lookup per file.
    const tsvPath = join(listDir, 'metadata.tsv');
    await writeFile(
      tsvPath,
      await fetchMetadataTsv(
        portal,
        small.map((f) => f.accession),
      ),
    );
    // aria2c, ours from accessions, ours from the TSV and the Node floors take turns, ROUNDS times: creating a
    // thousand files costs this ext4 (no journal) 0.03 to 0.37 ms each in the kernel, by how recently and where
    // files were deleted, so one run each would hand one tool a cheap moment and the next an expensive one.
    const cRuns: Record<'aria2c' | 'ours' | 'oursTsv' | 'nodeFloor' | 'nodeFloorDrs', Measured[]> = {
      aria2c: [],
      ours: [],
      oursTsv: [],
      nodeFloor: [],
      nodeFloorDrs: [],
    };
    const floorScript = `${quote(process.execPath)} ${quote(join(root, 'bench/per-file-floor.ts'))} --dir . -j 8`;
    for (let round = 0; round < ROUNDS; round++) {
      dir = await fresh(work, 'c-aria2');
      cRuns.aria2c.push(
        await measure(
          `aria2c -q -j8 --file-allocation=none -i ${quote(join(listDir, 'aria2.txt'))} && md5sum * > /dev/null`,
          dir,
        ),
      );
      await rm(dir, { recursive: true });
      dir = await fresh(work, 'c-ours');
      cRuns.ours.push(
        await measure(
          ours(portal, `-i ${quote(join(listDir, 'accessions.txt'))} -o ${quote(dir)} -j 8`),
          dir,
        ),
      );
      for (const f of small.slice(0, 20)) await verifyMd5(portal, dir, f.accession);
      await rm(dir, { recursive: true });
      dir = await fresh(work, 'c-tsv-ours');
      cRuns.oursTsv.push(await measure(ours(portal, `-i ${quote(tsvPath)} -o ${quote(dir)} -j 8`), dir));
      for (const f of small.slice(0, 20)) await verifyMd5(portal, dir, f.accession);
      await rm(dir, { recursive: true });
      for (const [kind, args] of [
        ['nodeFloor', `--urls ${quote(join(listDir, 'storage-urls.txt'))}`],
        [
          'nodeFloorDrs',
          `--accessions ${quote(join(listDir, 'accessions.txt'))} --drs ${quote(portal.portalUrl)} --auth ${quote(`${portal.key}:${portal.secret}`)}`,
        ],
      ] as const) {
        dir = await fresh(work, `c-${kind}`);
        cRuns[kind].push(await measure(`${floorScript} ${args}`, dir));
        for (const f of small.slice(0, 20)) await verifyMd5(portal, dir, f.accession);
        await rm(dir, { recursive: true });
      }
    }
    const cAria = median(cRuns.aria2c);
    const cOurs = median(cRuns.ours);
    const cTsvOurs = median(cRuns.oursTsv);
    const cNodeFloor = median(cRuns.nodeFloor);
    const cNodeFloorDrs = median(cRuns.nodeFloorDrs);
    results.c = {
      files: count,
      curlSequential: cCurl,
      aria2c: cAria,
      md5sumAlone: cMd5sum,
      curlToDevNullJ8: cCurlNull,
      nodeFloor: cNodeFloor,
      nodeFloorFromAccessions: cNodeFloorDrs,
      rounds: ROUNDS,
      runs: cRuns,
      ours: cOurs,
      oursFromTsv: cTsvOurs,
      speedupVsCurl: cCurl.wallSec / cOurs.wallSec,
      ratioVsAria2c: cOurs.wallSec / cAria.wallSec,
      ratioVsAria2cFromTsv: cTsvOurs.wallSec / cAria.wallSec,
      cpuMsPerFile: (1000 * cpu(cOurs)) / count,
      cpuMsPerFileFromTsv: (1000 * cpu(cTsvOurs)) / count,
      nodeFloorCpuMsPerFile: (1000 * cpu(cNodeFloor)) / count,
      nodeFloorFromAccessionsCpuMsPerFile: (1000 * cpu(cNodeFloorDrs)) / count,
      oursOverNodeFloorFromAccessionsCpu: cpu(cOurs) / cpu(cNodeFloorDrs),
      oursOverFloor: overFloor(cOurs, cCurlNull, cMd5sum),
      oursFromTsvOverFloor: overFloor(cTsvOurs, cCurlNull, cMd5sum),
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

    type Floor = { oursOverFloor: { wall: number; cpu: number } };
    const a = results.a as Floor & { ratioWall: number; ratioCpu: number; oursCpuSecPerGiB: number };
    const b = results.b as Floor & { speedupVsCurl: number; ratioVsAria2c: number };
    const c = results.c as Floor & {
      speedupVsCurl: number;
      ratioVsAria2c: number;
      ratioVsAria2cFromTsv: number;
      cpuMsPerFile: number;
      cpuMsPerFileFromTsv: number;
      nodeFloorCpuMsPerFile: number;
      nodeFloorFromAccessionsCpuMsPerFile: number;
      oursOverNodeFloorFromAccessionsCpu: number;
      oursFromTsvOverFloor: { wall: number; cpu: number };
    };
    const floor = (f: { wall: number; cpu: number }) =>
      `ours/floor wall ${f.wall.toFixed(2)}x, CPU ${f.cpu.toFixed(2)}x`;
    const lines = [
      `(a) 1 file, ${(big.size / GiB).toFixed(2)} GiB: ours/curl+md5sum wall = ${a.ratioWall.toFixed(2)}x (target <= 0.8), CPU = ${a.ratioCpu.toFixed(2)}x (target <= 1.3); CPU ${a.oursCpuSecPerGiB.toFixed(2)} s/GiB; ${floor(a.oursOverFloor)}`,
      ...table('    (a)', {
        'curl + md5sum': aCurl,
        'md5sum alone': aMd5sum,
        'curl > /dev/null': aCurlNull,
        ours: aOurs,
      }),
      `(b) 8 MiB/s per connection: ours is ${b.speedupVsCurl.toFixed(1)}x curl (target >= 4); ours/aria2c wall = ${b.ratioVsAria2c.toFixed(2)}x (target <= 1); ${floor(b.oursOverFloor)}`,
      ...table('    (b)', {
        'curl + md5sum': bCurl,
        'aria2c + md5sum': bAria,
        'md5sum alone': bMd5sum,
        'curl > /dev/null': bCurlNull,
        ours: bOurs,
      }),
      `(c) ${count} x 64 KiB: ours is ${c.speedupVsCurl.toFixed(1)}x sequential curl (target >= 5); ours/aria2c wall = ${c.ratioVsAria2c.toFixed(2)}x (target <= 1.5), ${c.cpuMsPerFile.toFixed(2)} ms CPU per file (target <= 1.5); ${floor(c.oursOverFloor)}`,
      `(c') the same from the metadata TSV: ours/aria2c wall = ${c.ratioVsAria2cFromTsv.toFixed(2)}x (target <= 1.2), ${c.cpuMsPerFileFromTsv.toFixed(2)} ms CPU per file; ${floor(c.oursFromTsvOverFloor)}`,
      `    (c) medians of ${ROUNDS} rounds taking turns; the Node floor (bench/per-file-floor.ts: storage URLs, kept sockets, .part, md5, fsync, rename, folder fsync, nothing else) ${c.nodeFloorCpuMsPerFile.toFixed(2)} ms CPU per file; from accessions (a DRS GET per file first) ${c.nodeFloorFromAccessionsCpuMsPerFile.toFixed(2)} ms, ours/that floor CPU ${c.oursOverNodeFloorFromAccessionsCpu.toFixed(2)}x`,
      ...table('    (c)', {
        'curl sequential': cCurl,
        'aria2c -j8 + md5sum': cAria,
        'md5sum alone': cMd5sum,
        'curl -P8 > /dev/null': cCurlNull,
        'ours (accessions)': cOurs,
        'ours (metadata TSV)': cTsvOurs,
        'Node floor': cNodeFloor,
        'Node floor (accessions)': cNodeFloorDrs,
      }),
      `(d) peak RSS ${dOurs.maxRssMiB.toFixed(0)} MiB at ${(huge.size / GiB).toFixed(2)} GiB with default segments, ${dOne.maxRssMiB.toFixed(0)} MiB in one stream, vs ${aOurs.maxRssMiB.toFixed(0)} MiB at ${(big.size / GiB).toFixed(2)} GiB in one stream (target <= 160 MB, flat)`,
      ...table('    (d)', { 'ours defaults': dOurs, 'ours one stream': dOne }),
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
