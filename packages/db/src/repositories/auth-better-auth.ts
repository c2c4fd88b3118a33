import { prismaAdapter } from 'better-auth/adapters/prisma';
import type { Database } from '../client';

/**
 * better-auth's storage on our own Prisma client, so users and sessions live
 * in the same database (PGlite or PostgreSQL) as everything else.
 */
export function createBetterAuthDatabase(db: Database) {
  return prismaAdapter(db.prisma, { provider: 'postgresql' });
}
