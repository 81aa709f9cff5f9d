import { z } from 'zod';
import type { StoredProfile } from './credential-store.ts';

/**
 * One profile as the password of one keychain item (service = the app, account = the profile name).
 * Keeping the non-secret fields beside the secret makes each profile one atomic record: nothing to get
 * out of step with a side file, nothing on disk, and the CLI and the app see the same profiles.
 */
const KeychainRecord = z.object({
  v: z.literal(1),
  server: z.string().min(1),
  keyId: z.string().min(1),
  /** Absent means a 4DN access key (records written before other kinds existed). */
  kind: z.enum(['basic', 'bearer', 'gen3']).optional(),
  secret: z.string().min(1),
  addedAt: z.string(),
  lastTest: z
    .object({ ok: z.boolean(), at: z.string(), email: z.string().optional(), message: z.string().optional() })
    .optional(),
});

export function encodeRecord(profile: StoredProfile, secret: string): string {
  const record: z.infer<typeof KeychainRecord> = {
    v: 1,
    server: profile.server,
    keyId: profile.keyId,
    ...(profile.kind && profile.kind !== 'basic' ? { kind: profile.kind } : {}),
    secret,
    addedAt: profile.addedAt,
    ...(profile.lastTest ? { lastTest: profile.lastTest } : {}),
  };
  return JSON.stringify(record);
}

/** Undefined for an item this app did not write (or a newer format): it is left alone, not shown. */
export function decodeRecord(
  name: string,
  password: string,
): (StoredProfile & { secret: string }) | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(password);
  } catch {
    return undefined;
  }
  const parsed = KeychainRecord.safeParse(raw);
  if (!parsed.success) return undefined;
  const { server, keyId, kind, secret, addedAt, lastTest } = parsed.data;
  return {
    name,
    server,
    keyId,
    addedAt,
    secret,
    ...(kind ? { kind } : {}),
    ...(lastTest ? { lastTest } : {}),
  };
}
