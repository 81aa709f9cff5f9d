import { z } from 'zod';

export const DEFAULT_SERVER = 'https://data.4dnucleome.org';

/** What the UI and CLI may know of a credential: never the secret. */
export const Profile = z.object({
  name: z.string().min(1).max(100),
  server: z.string().url(),
  keyId: z.string().min(1).max(200),
  addedAt: z.string().optional(),
  source: z.enum(['keychain', 'keypairs']),
  lastTest: z
    .object({ ok: z.boolean(), at: z.string(), email: z.string().optional(), message: z.string().optional() })
    .optional(),
});
export type Profile = z.infer<typeof Profile>;

/** Input for adding a key. The secret goes in, and never comes back out. */
export const ProfileInput = z.object({
  name: z.string().min(1).max(100),
  server: z.string().url(),
  keyId: z.string().min(1).max(200),
  secret: z.string().min(1).max(500),
});
export type ProfileInput = z.infer<typeof ProfileInput>;

export const KeychainStatus = z.object({ available: z.boolean(), message: z.string().optional() });
export type KeychainStatus = z.infer<typeof KeychainStatus>;

export const KeyTestResult = z.object({
  ok: z.boolean(),
  email: z.string().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
});
export type KeyTestResult = z.infer<typeof KeyTestResult>;
