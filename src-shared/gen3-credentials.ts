import { AppError } from './domain/errors.ts';

/** A Gen3 `credentials.json` (`{"api_key", "key_id"}`), checked, as keyId and secret. */
export function parseGen3CredentialsFile(text: string): { keyId: string; secret: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError(
      'bad-input',
      'The Gen3 credentials file is not JSON: use the credentials.json the portal gave.',
    );
  }
  const record = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const { api_key: apiKey, key_id: keyId } = record;
  if (typeof apiKey !== 'string' || apiKey === '' || typeof keyId !== 'string' || keyId === '') {
    throw new AppError(
      'bad-input',
      'The Gen3 credentials file needs "api_key" and "key_id": download it again from the portal\'s profile page.',
    );
  }
  return { keyId, secret: apiKey };
}
