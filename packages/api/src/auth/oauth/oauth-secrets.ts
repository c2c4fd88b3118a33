import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hashSecret } from '../tokens';

/**
 * Everything OAuth hands out is 32 random bytes behind a prefix that says
 * what it is: `opc_` client ids, `ops_` client secrets, `opz_` authorization
 * codes, `opa_` access tokens, `opr_` refresh tokens. Only SHA-256 hashes
 * are stored (see tokens.ts for why a fast hash is right for random secrets).
 */
export type OAuthSecretKind = 'opc' | 'ops' | 'opz' | 'opa' | 'opr';

const patterns: Record<OAuthSecretKind, RegExp> = {
  opc: /^opc_[A-Za-z0-9_-]{43}$/,
  ops: /^ops_[A-Za-z0-9_-]{43}$/,
  opz: /^opz_[A-Za-z0-9_-]{43}$/,
  opa: /^opa_[A-Za-z0-9_-]{43}$/,
  opr: /^opr_[A-Za-z0-9_-]{43}$/,
};

export function generateOAuthSecret(kind: OAuthSecretKind): { secret: string; hash: string } {
  const secret = `${kind}_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashSecret(secret) };
}

export const looksLike = (kind: OAuthSecretKind, value: string): boolean => patterns[kind].test(value);
export const looksLikeOAuthAccessToken = (value: string): boolean => patterns.opa.test(value);

/** RFC 7636: a verifier is 43-128 characters of [A-Z a-z 0-9 - . _ ~]; an S256 challenge is 43 base64url characters. */
const verifierPattern = /^[A-Za-z0-9\-._~]{43,128}$/;
export const challengePattern = /^[A-Za-z0-9_-]{43}$/;

/** PKCE S256 check in constant time: BASE64URL(SHA256(verifier)) must equal the stored challenge. */
export function verifyPkce(verifier: string, challenge: string): boolean {
  if (!verifierPattern.test(verifier) || !challengePattern.test(challenge)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/** Constant-time comparison of a presented client secret with the stored hash. */
export function matchesHash(secret: string, hash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(hash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
