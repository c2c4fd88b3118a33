import type { Database } from '../client';

/** A named role as stored: who holds it and until when (database clock). */
export interface RunnerLeaseRecord {
  name: string;
  holderId: string;
  acquiredAt: Date;
  renewedAt: Date;
  expiresAt: Date;
  lastRunAt: Date | null;
}

export interface RunnerLeaseStore {
  /**
   * Takes the role when nobody holds it or the holder's lease has expired,
   * renews it when `holderId` already holds it, and otherwise leaves it.
   * `force` takes it regardless (the embedded database has one process by
   * construction, so a lease left by a killed predecessor must not wait out).
   * Answers whether `holderId` holds it now, and the stored lease.
   */
  acquireOrRenew(input: { name: string; holderId: string; ttlMs: number; force?: boolean }): Promise<{ held: boolean; lease: RunnerLeaseRecord | null }>;
  /** Gives the role up at once (graceful stop), so a stand-by takes over without waiting for expiry. */
  release(input: { name: string; holderId: string }): Promise<boolean>;
  /** Stamps `lastRunAt` with the database clock, only while `holderId` holds the role. */
  recordRun(input: { name: string; holderId: string }): Promise<void>;
  read(name: string): Promise<RunnerLeaseRecord | null>;
}

const utcNow = `(now() AT TIME ZONE 'UTC')`;
// The columns keep milliseconds and PostgreSQL rounds to them, so a lease stored as expiring "now"
// can read up to half a millisecond in the future: allow one millisecond.
const expiredBefore = `(${utcNow} + interval '1 millisecond')`;

/**
 * Leases of the RunnerLease table. Expiry is compared with the database's
 * clock, never a process's, so clock skew between hosts cannot hand the role
 * to two processes. One statement per attempt: an upsert whose update only
 * applies to the holder itself or to an expired lease, so two processes
 * racing for a free role get it once (the row lock orders them).
 */
export function createRunnerLeaseStore(db: Database): RunnerLeaseStore {
  const read = (name: string) => db.prisma.runnerLease.findUnique({ where: { name } });
  return {
    async acquireOrRenew(input) {
      const rows = await db.query<{ holderId: string }>(
        `INSERT INTO "RunnerLease" ("name", "holderId", "acquiredAt", "renewedAt", "expiresAt")
         VALUES ($1, $2, ${utcNow}, ${utcNow}, ${utcNow} + $3::double precision * interval '1 millisecond')
         ON CONFLICT ("name") DO UPDATE SET
           "holderId" = EXCLUDED."holderId",
           "acquiredAt" = CASE WHEN "RunnerLease"."holderId" = EXCLUDED."holderId" THEN "RunnerLease"."acquiredAt" ELSE EXCLUDED."acquiredAt" END,
           "renewedAt" = EXCLUDED."renewedAt",
           "expiresAt" = EXCLUDED."expiresAt"
         WHERE $4::boolean OR "RunnerLease"."holderId" = EXCLUDED."holderId" OR "RunnerLease"."expiresAt" <= ${expiredBefore}
         RETURNING "holderId"`,
        [input.name, input.holderId, input.ttlMs, input.force === true],
      );
      return { held: rows[0]?.holderId === input.holderId, lease: await read(input.name) };
    },
    async release(input) {
      // Expire rather than delete: the row keeps lastRunAt for whoever takes over.
      const released = await db.execute(`UPDATE "RunnerLease" SET "expiresAt" = ${utcNow} WHERE "name" = $1 AND "holderId" = $2`, [input.name, input.holderId]);
      return released > 0;
    },
    async recordRun(input) {
      await db.execute(`UPDATE "RunnerLease" SET "lastRunAt" = ${utcNow} WHERE "name" = $1 AND "holderId" = $2`, [input.name, input.holderId]);
    },
    read,
  };
}
