import { z } from 'zod';

export const DEFAULT_SERVER = 'https://data.4dnucleome.org';

/**
 * The kinds of credential a profile can hold for its server: 'basic' a 4DN access key (key id + secret);
 * 'bearer' a token sent as is (keyId is only a label); 'gen3' a Gen3 API key file (key_id + api_key), exchanged
 * for short-lived access tokens.
 */
export const CredentialKind = z.enum(['basic', 'bearer', 'gen3']);
export type CredentialKind = z.infer<typeof CredentialKind>;

/** What the UI and CLI may know of a credential: never the secret. */
export const Profile = z.object({
  name: z.string().min(1).max(100),
  server: z.string().url(),
  keyId: z.string().min(1).max(200),
  /** Absent means 'basic'. */
  kind: CredentialKind.optional(),
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
  /** A 4DN secret, a bearer token, or a Gen3 api_key (a JWT of a few KB). */
  secret: z.string().min(1).max(16_000),
  /** Default 'basic'. */
  kind: CredentialKind.optional(),
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
