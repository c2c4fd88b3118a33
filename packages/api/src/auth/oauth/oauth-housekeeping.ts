import type { Database } from '@opspilot/db';
import { oauthLifetimes } from './oauth-config';

export interface OAuthHousekeepingOptions {
  now: Date;
  /** Rows deleted per statement (default 500): short transactions that never lock a whole table. */
  batchSize?: number;
  /** Statements per kind and run (default 20): a huge backlog drains over several runs instead of one long one. */
  maximumBatches?: number;
}

export interface OAuthHousekeepingResult {
  authorizationCodes: number;
  tokens: number;
  grants: number;
}

/** Deletes batches of the ids `select` returns until a batch comes back short or the budget is spent. */
async function deleteInBatches(
  select: (take: number) => Promise<{ id: string }[]>,
  remove: (ids: string[]) => Promise<{ count: number }>,
  limits: { batchSize: number; maximumBatches: number },
): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < limits.maximumBatches; batch += 1) {
    const ids = (await select(limits.batchSize)).map((row) => row.id);
    if (ids.length > 0) deleted += (await remove(ids)).count;
    if (ids.length < limits.batchSize) break;
  }
  return deleted;
}

/**
 * Removes OAuth state that can never be used again:
 * - authorization codes past their expiry (used or not; a code lives 5 minutes),
 * - tokens past their expiry or revoked (a rotated refresh token that is not
 *   expired stays: presenting it again must still revoke its grant),
 * - grants without a live token, once older than the refresh lifetime (no
 *   token of theirs can be refreshed any more; their tokens go with them).
 * Run by the elected background runner; see decision 0010.
 */
export async function purgeExpiredOAuthState(db: Database, options: OAuthHousekeepingOptions): Promise<OAuthHousekeepingResult> {
  const { now } = options;
  const limits = { batchSize: options.batchSize ?? 500, maximumBatches: options.maximumBatches ?? 20 };
  const { prisma } = db;
  const authorizationCodes = await deleteInBatches(
    (take) => prisma.oAuthAuthorizationCode.findMany({ where: { expiresAt: { lte: now } }, select: { id: true }, take }),
    (ids) => prisma.oAuthAuthorizationCode.deleteMany({ where: { id: { in: ids } } }),
    limits,
  );
  const tokens = await deleteInBatches(
    (take) => prisma.oAuthToken.findMany({ where: { OR: [{ expiresAt: { lte: now } }, { revokedAt: { not: null } }] }, select: { id: true }, take }),
    (ids) => prisma.oAuthToken.deleteMany({ where: { id: { in: ids } } }),
    limits,
  );
  const deadBefore = new Date(now.getTime() - oauthLifetimes.refreshTokenMs);
  const deadGrant = { createdAt: { lt: deadBefore }, tokens: { none: { revokedAt: null, expiresAt: { gt: now } } } };
  const grants = await deleteInBatches(
    (take) => prisma.oAuthGrant.findMany({ where: deadGrant, select: { id: true }, take }),
    // The condition is repeated on delete, so the statement is right on its own whatever ran in between.
    (ids) => prisma.oAuthGrant.deleteMany({ where: { id: { in: ids }, ...deadGrant } }),
    limits,
  );
  return { authorizationCodes, tokens, grants };
}
