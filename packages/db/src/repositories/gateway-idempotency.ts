import type { IdempotencyKeyRef, IdempotencyReservation, ReserveIdempotencyKeyInput } from '@opspilot/core/integrations';
import type { Database } from '../client';

/** UTC wall time for `timestamp(3)` columns, the way Prisma stores them, whatever the process time zone. */
function toTimestamp(date: Date): string {
  return date.toISOString();
}

/**
 * Inserts a pending key, or takes over a pending one whose lease ran out with
 * the same arguments, in one statement: the primary key makes exactly one of
 * several racing processes the holder.
 */
const reserveSql = `INSERT INTO "ToolCallIdempotency" AS held ("workspaceId", "tool", "key", "argsHash", "state", "callId", "leaseUntil", "createdAt")
VALUES ($1, $2, $3, $4, 'pending', $5, $6::timestamp(3), $7::timestamp(3))
ON CONFLICT ("workspaceId", "tool", "key") DO UPDATE SET "callId" = EXCLUDED."callId", "leaseUntil" = EXCLUDED."leaseUntil"
WHERE held."state" = 'pending' AND held."argsHash" = EXCLUDED."argsHash" AND held."leaseUntil" < $7::timestamp(3)
RETURNING "callId"`;

interface KeyRow {
  argsHash: string;
  state: string;
  result: unknown;
  leaseUntil: Date | string;
}

/** Reserves a key; a row freed between the insert and the read is simply tried again. */
export async function reserveIdempotencyKey(db: Database, input: ReserveIdempotencyKeyInput): Promise<IdempotencyReservation> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const claimed = await db.query<{ callId: string }>(reserveSql, [
      input.workspaceId,
      input.tool,
      input.key,
      input.argsHash,
      input.callId,
      toTimestamp(input.leaseUntil),
      toTimestamp(input.now),
    ]);
    if (claimed.length > 0) return { state: 'reserved' };
    const [row] = await db.query<KeyRow>(
      `SELECT "argsHash", "state", "result", "leaseUntil" FROM "ToolCallIdempotency" WHERE "workspaceId" = $1 AND "tool" = $2 AND "key" = $3`,
      [input.workspaceId, input.tool, input.key],
    );
    if (!row) continue;
    if (row.state === 'done') return { state: 'done', argsHash: row.argsHash, result: row.result };
    return { state: 'pending', argsHash: row.argsHash, leaseUntil: new Date(row.leaseUntil) };
  }
  // Five inserts lost to five releases in a row: answer as busy rather than loop.
  return { state: 'pending', argsHash: input.argsHash, leaseUntil: input.leaseUntil };
}

/** Stores the holder's result; false when the key was taken over meanwhile. */
export async function completeIdempotencyKey(db: Database, input: IdempotencyKeyRef & { result: unknown }): Promise<boolean> {
  const rows = await db.query<{ key: string }>(
    `UPDATE "ToolCallIdempotency" SET "state" = 'done', "result" = $5::jsonb
     WHERE "workspaceId" = $1 AND "tool" = $2 AND "key" = $3 AND "callId" = $4 RETURNING "key"`,
    [input.workspaceId, input.tool, input.key, input.callId, JSON.stringify(input.result ?? null)],
  );
  return rows.length > 0;
}

/** Deletes the holder's pending row so a retry may act. */
export async function releaseIdempotencyKey(db: Database, input: IdempotencyKeyRef): Promise<void> {
  await db.query(
    `DELETE FROM "ToolCallIdempotency" WHERE "workspaceId" = $1 AND "tool" = $2 AND "key" = $3 AND "callId" = $4 AND "state" = 'pending'`,
    [input.workspaceId, input.tool, input.key, input.callId],
  );
}
