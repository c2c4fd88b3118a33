import type { Clock } from '@opspilot/core/ports';
import { findUsableApiKeyByHash, touchApiKey, type Database } from '@opspilot/db';
import type { Authenticator, Principal } from '../context';
import type { Auth } from './better-auth';
import { hashSecret, looksLikeApiKey, readBearerToken } from './tokens';

/** `lastUsedAt` is written at most once a minute per key. */
export const apiKeyTouchIntervalMs = 60_000;

/**
 * Resolves a request's principal: `Authorization: Bearer opk_...` selects API
 * key auth (and only that: a bad key is not rescued by a cookie); otherwise a
 * better-auth session cookie. Returns null for anything invalid, expired or
 * revoked, and never says which; the procedures answer one 401 message.
 */
export function createAuthenticator(options: { auth: Auth; db: Database; clock: Clock }): Authenticator {
  const { auth, db, clock } = options;
  return {
    authenticate: async (headers): Promise<Principal | null> => {
      const bearer = readBearerToken(headers);
      if (bearer !== null || headers.has('authorization')) {
        return bearer && looksLikeApiKey(bearer) ? authenticateApiKey(db, clock, bearer) : null;
      }
      if (!headers.get('cookie')) return null;
      const session = await auth.api.getSession({ headers }).catch(() => null);
      if (!session) return null;
      return {
        kind: 'user',
        userId: session.user.id,
        email: session.user.email,
        name: session.user.name,
        sessionId: session.session.id,
      };
    },
  };
}

async function authenticateApiKey(db: Database, clock: Clock, secret: string): Promise<Principal | null> {
  const now = clock.now();
  const key = await findUsableApiKeyByHash(db, hashSecret(secret), now);
  if (!key) return null;
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= apiKeyTouchIntervalMs) {
    await touchApiKey(db, { apiKeyId: key.id, now, minimumIntervalMs: apiKeyTouchIntervalMs });
  }
  return { kind: 'apiKey', apiKeyId: key.id, workspaceId: key.workspaceId, scopes: key.scopes };
}
