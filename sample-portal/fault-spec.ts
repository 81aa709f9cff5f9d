import type { FileFaults } from './types.ts';

const NUMBER_KNOBS = [
  'dropAfterBytes',
  'dropTimes',
  'stallAfterBytes',
  'stallMs',
  'stallTimes',
  'flipByteOnce',
  'urlLifetimeMs',
  'throughputBytesPerSec',
] as const;
const BOOLEAN_KNOBS = ['ignoreRange', 'wrongContentRange', 'wrongMd5', 'gzipEncoding', 'chunked'] as const;
const STATUS_KNOBS = ['storageStatus', 'drsStatus', 'downloadStatus'] as const;

/** Checks fault knobs from JSON (the admin endpoint) or the command line; throws with a readable message. */
export function validateFaults(value: unknown): FileFaults {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('faults must be an object');
  const input = value as Record<string, unknown>;
  const faults: Record<string, unknown> = {};
  for (const [name, knob] of Object.entries(input)) {
    if ((NUMBER_KNOBS as readonly string[]).includes(name)) faults[name] = count(name, knob);
    else if ((BOOLEAN_KNOBS as readonly string[]).includes(name)) {
      if (typeof knob !== 'boolean') throw new Error(`${name} must be true or false`);
      faults[name] = knob;
    } else if ((STATUS_KNOBS as readonly string[]).includes(name)) faults[name] = statusFault(name, knob);
    else if (name === 'accessPending') {
      const pending = object(name, knob);
      faults[name] = {
        retryAfter: count(`${name}.retryAfter`, pending.retryAfter ?? 1),
        times: times(name, pending),
      };
    } else throw new Error(`Unknown fault knob ${name}`);
  }
  return faults as FileFaults;
}

function statusFault(
  name: string,
  knob: unknown,
): { status: number; retryAfter?: number; times: number; message?: string } {
  const fault = typeof knob === 'number' ? { status: knob } : object(name, knob);
  const status = count(`${name}.status`, fault.status);
  if (status < 100 || status > 599) throw new Error(`${name}.status must be an HTTP status`);
  const result: { status: number; retryAfter?: number; times: number; message?: string } = {
    status,
    times: times(name, fault),
  };
  if (fault.message !== undefined) {
    if (typeof fault.message !== 'string') throw new Error(`${name}.message must be text`);
    result.message = fault.message;
  }
  if (fault.retryAfter !== undefined) result.retryAfter = count(`${name}.retryAfter`, fault.retryAfter);
  return result;
}

function times(name: string, fault: Record<string, unknown>): number {
  return count(`${name}.times`, fault.times ?? 1);
}

function object(name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new Error(`${name} must be an object`);
  return value as Record<string, unknown>;
}

function count(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a number >= 0`);
  return value;
}

/**
 * Parses `--fault ACC:knob=value[,knob=value...]`. Nested knobs use dots (`storageStatus.status=503`,
 * `storageStatus.times=2`); a bare boolean knob means true (`ACC:ignoreRange`).
 */
export function parseFaultSpec(spec: string): { accession: string; faults: FileFaults } {
  const colon = spec.indexOf(':');
  if (colon <= 0) throw new Error(`Bad --fault ${spec}: expected ACCESSION:knob=value[,knob=value...]`);
  const accession = spec.slice(0, colon);
  const raw: Record<string, unknown> = {};
  for (const part of spec.slice(colon + 1).split(',')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const path = (eq < 0 ? part : part.slice(0, eq)).split('.');
    const text = eq < 0 ? 'true' : part.slice(eq + 1);
    const parsed = text === 'true' ? true : text === 'false' ? false : Number(text);
    if (typeof parsed === 'number' && Number.isNaN(parsed))
      throw new Error(`Bad value in --fault ${spec}: ${part}`);
    let target = raw;
    for (const key of path.slice(0, -1)) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
    }
    target[path.at(-1) as string] = parsed;
  }
  return { accession, faults: validateFaults(raw) };
}
