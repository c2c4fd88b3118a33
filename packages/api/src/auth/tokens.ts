import { createHash, randomBytes } from 'node:crypto';

/** API keys look like `opk_<43 base64url characters>` (32 random bytes). */
const apiKeyPattern = /^opk_[A-Za-z0-9_-]{43}$/;
const invitationTokenPattern = /^opi_[A-Za-z0-9_-]{43}$/;

export interface GeneratedSecret {
  /** Shown to the caller once, never stored. */
  secret: string;
  /** SHA-256 hex of the secret: what the database keeps. */
  hash: string;
  /** The first characters, kept so people can tell keys apart in lists. */
  prefix: string;
}

/**
 * A plain SHA-256 (no salt, no stretching) is right here: the secrets are 256
 * random bits, not passwords, so there is nothing to brute-force, and a fast
 * hash keeps lookup by hash a single indexed read.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function generate(kind: 'opk' | 'opi'): GeneratedSecret {
  const secret = `${kind}_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashSecret(secret), prefix: secret.slice(0, 12) };
}

export const generateApiKey = (): GeneratedSecret => generate('opk');
export const generateInvitationToken = (): GeneratedSecret => generate('opi');

export const looksLikeApiKey = (value: string): boolean => apiKeyPattern.test(value);
export const looksLikeInvitationToken = (value: string): boolean => invitationTokenPattern.test(value);

/** The bearer token of an `Authorization: Bearer <token>` header, if any. */
export function readBearerToken(headers: Headers): string | null {
  const header = headers.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
