/**
 * `npm run portal`: the sample 4DN portal and its fake storage for demos and manual testing.
 * Prints one JSON line ({portal, storage, key, secret, keypairs}) on stdout, then a hint on stderr.
 *   --port N  --seed N  --files N  --url-lifetime-ms N  --data-dir DIR
 *   --fault ACC:knob=value[,knob=value...]   (repeatable; nested knobs with dots: storageStatus.status=503)
 */
import { parseArgs } from 'node:util';
import { parseFaultSpec } from './fault-spec.ts';
import { startSamplePortal } from './server.ts';
import type { SamplePortalOptions } from './types.ts';

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`--${name} must be a whole number, not ${value}`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      files: { type: 'string' },
      'url-lifetime-ms': { type: 'string' },
      'data-dir': { type: 'string' },
      fault: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const options: SamplePortalOptions = {};
  const port = number('port', values.port);
  const seed = number('seed', values.seed);
  const files = number('files', values.files);
  const lifetime = number('url-lifetime-ms', values['url-lifetime-ms']);
  if (port !== undefined) options.port = port;
  if (seed !== undefined) options.seed = seed;
  if (files !== undefined) options.files = files;
  if (lifetime !== undefined) options.urlLifetimeMs = lifetime;
  if (values['data-dir'] !== undefined) options.dataDir = values['data-dir'];
  const faults = (values.fault ?? []).map(parseFaultSpec);

  const portal = await startSamplePortal(options);
  try {
    for (const { accession, faults: knobs } of faults) portal.setFaults(accession, knobs);
  } catch (error) {
    await portal.close();
    throw error;
  }
  process.stdout.write(
    `${JSON.stringify({
      portal: portal.portalUrl,
      storage: portal.storageUrl,
      key: portal.key,
      secret: portal.secret,
      keypairs: portal.keypairsPath,
    })}\n`,
  );
  const rows = portal.files.map(
    (f) =>
      `  ${f.accession}  ${f.fileName.padEnd(26)} ${String(f.size).padStart(9)}  ${f.status.padEnd(10)} drs:${f.drsShape}`,
  );
  process.stderr.write(
    [
      `Sample 4DN portal at ${portal.portalUrl}/ (storage ${portal.storageUrl}), key file ${portal.keypairsPath}`,
      `Try: curl -L --user ${portal.key}:${portal.secret} -O ${portal.portalUrl}/${portal.files[0]?.accession ?? 'ACC'}/@@download`,
      'Files:',
      ...rows,
      'Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    portal.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`sample portal: ${(error as Error).message}\n`);
  process.exit(2);
});
