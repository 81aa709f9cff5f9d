import type { DrsObject } from '../../../src-shared/domain/drs.ts';
import { AppError } from '../../../src-shared/domain/errors.ts';
import { hostOf } from '../http/credentials.ts';
import type { HttpClient } from '../http/http-client.ts';
import type { ResolveResult } from './drs-client.ts';
import type { DrsLocation } from './drs-location.ts';
import { normaliseDrsObject } from './normalise.ts';

export interface Located {
  index: number;
  input: string;
  location: DrsLocation;
}

const CHUNK = 100;
/** Answers meaning "this server has no bulk endpoint": remembered, never asked again. */
const UNSUPPORTED = new Set([404, 405, 501]);

/**
 * DRS 1.4 bulk POST /objects, tried once per server. Ids the bulk answer does not settle (or every id, when the
 * server has no bulk endpoint) come back as `remaining` for single GETs.
 */
export async function resolveInBulk(
  http: HttpClient,
  located: readonly Located[],
  support: Map<string, boolean>,
  options: { expand?: boolean; signal?: AbortSignal },
): Promise<{ resolved: Array<{ index: number; result: ResolveResult }>; remaining: Located[] }> {
  const resolved: Array<{ index: number; result: ResolveResult }> = [];
  const remaining: Located[] = [];
  const groups = new Map<string, Located[]>();
  for (const item of located) {
    const group = groups.get(item.location.drsBase) ?? [];
    group.push(item);
    groups.set(item.location.drsBase, group);
  }
  for (const [drsBase, group] of groups) {
    if (group.length < 2 || support.get(drsBase) === false) {
      remaining.push(...group);
      continue;
    }
    for (let start = 0; start < group.length; start += CHUNK) {
      const chunk = group.slice(start, start + CHUNK);
      if (support.get(drsBase) === false) {
        remaining.push(...chunk);
        continue;
      }
      const answer = await postBulk(http, drsBase, chunk, support, options);
      if (!answer) {
        remaining.push(...chunk);
        continue;
      }
      for (const item of chunk) {
        const object = answer.objects.find((candidate) => names(candidate).includes(item.location.objectId));
        if (object) {
          resolved.push({ index: item.index, result: { input: item.input, ok: true, object } });
        } else if (answer.notFound.has(item.location.objectId)) {
          const error = new AppError(
            'not-found',
            `DRS object ${item.location.objectId} was not found on ${hostOf(drsBase)}.`,
          );
          resolved.push({ index: item.index, result: { input: item.input, ok: false, error } });
        } else {
          remaining.push(item);
        }
      }
    }
  }
  return { resolved, remaining };
}

async function postBulk(
  http: HttpClient,
  drsBase: string,
  chunk: readonly Located[],
  support: Map<string, boolean>,
  options: { expand?: boolean; signal?: AbortSignal },
): Promise<{ objects: DrsObject[]; notFound: Set<string> } | undefined> {
  const ids = [...new Set(chunk.map((item) => item.location.objectId))];
  try {
    const response = await http.request(`${drsBase}/objects${options.expand ? '?expand=true' : ''}`, {
      method: 'POST',
      json: { bulk_object_ids: ids },
      what: 'bulk DRS request',
      // One try: when bulk fails, single GETs (which do retry) take over.
      retry: false,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (UNSUPPORTED.has(response.status)) support.set(drsBase, false);
    if (response.status < 200 || response.status >= 300) return undefined;
    const data = http.parseJson(response, 'bulk DRS request') as Record<string, unknown> | null;
    const list = data?.resolved_drs_object ?? data?.resolved_drs_objects;
    if (!Array.isArray(list)) return undefined;
    support.set(drsBase, true);
    const objects: DrsObject[] = [];
    for (const raw of list) {
      try {
        objects.push(normaliseDrsObject(raw, drsBase));
      } catch {
        // A malformed entry leaves its id to the single GET, which reports it properly.
      }
    }
    return { objects, notFound: notFoundIds(data?.unresolved_drs_objects) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'canceled') throw error;
    return undefined;
  }
}

/** Every name a bulk answer may use for an object we asked for. */
function names(object: DrsObject): string[] {
  const raw = object.raw as Record<string, unknown>;
  const extra = [raw.id, raw.drs_id].filter((value): value is string => typeof value === 'string');
  return [object.id, ...extra, ...object.aliases];
}

function notFoundIds(unresolved: unknown): Set<string> {
  const out = new Set<string>();
  if (!Array.isArray(unresolved)) return out;
  for (const entry of unresolved) {
    const { error_code: code, object_ids: ids } = (entry ?? {}) as {
      error_code?: unknown;
      object_ids?: unknown;
    };
    if (code === 404 && Array.isArray(ids)) for (const id of ids) if (typeof id === 'string') out.add(id);
  }
  return out;
}
