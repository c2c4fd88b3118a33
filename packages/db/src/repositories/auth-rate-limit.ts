import type { Database } from '../client';

/**
 * Counts one hit in the fixed window starting at `windowStart` and returns the
 * count so far. One atomic upsert, so every process sharing the database
 * agrees on the count; a new window resets the counter in the same statement.
 */
export async function incrementRateLimitBucket(
  db: Database,
  input: { key: string; windowStart: Date },
): Promise<number> {
  const rows = await db.query<{ count: number | string }>(
    `INSERT INTO "RateLimitBucket" ("key", "windowStart", "count") VALUES ($1, $2, 1)
     ON CONFLICT ("key") DO UPDATE SET
       "count" = CASE WHEN "RateLimitBucket"."windowStart" = EXCLUDED."windowStart" THEN "RateLimitBucket"."count" + 1 ELSE 1 END,
       "windowStart" = EXCLUDED."windowStart"
     RETURNING "count"`,
    [input.key, input.windowStart],
  );
  return Number(rows[0]?.count ?? 1);
}

/** Drops buckets whose window ended before `olderThan`, so the table stays small. */
export async function deleteStaleRateLimitBuckets(db: Database, olderThan: Date): Promise<number> {
  const result = await db.prisma.rateLimitBucket.deleteMany({ where: { windowStart: { lt: olderThan } } });
  return result.count;
}
