import { createHash, randomUUID } from 'node:crypto';
import type { BillingStore, BillingWriter, RollupDelta, SignalEventStore, ValidSignalEvent } from '@opspilot/core/signals';
import type { Database } from '../client';
import type { SqlSession } from '../sql-session';

const dayMs = 86_400_000;

/** Postgres `timestamp(3)` text for a UTC instant (columns hold UTC wall time, as Prisma writes them). */
export function toTimestampText(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function optionalTimestamp(date: Date | null): string | null {
  return date ? toTimestampText(date) : null;
}

/**
 * One statement for the whole batch: UNNEST of column arrays keeps the
 * parameter count at 8 whatever the batch size (multi-row VALUES would need
 * 7 x 5,000 placeholders), and ON CONFLICT DO NOTHING RETURNING tells which
 * ids were new, so only they reach the rollups.
 */
async function insertEvents(session: SqlSession, workspaceId: string, events: readonly ValidSignalEvent[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const rows = await session.query<{ eventId: string }>(
    `INSERT INTO "SignalEvent" ("id", "workspaceId", "eventId", "type", "source", "occurredAt", "properties", "receivedAt")
     SELECT item.id, $1, item.event_id, item.type, item.source, item.occurred_at, item.properties::jsonb, now() AT TIME ZONE 'UTC'
       FROM UNNEST($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamp(3)[], $7::text[])
            AS item(id, event_id, type, source, occurred_at, properties)
     ON CONFLICT ("workspaceId", "eventId") DO NOTHING
     RETURNING "eventId"`,
    [
      workspaceId,
      events.map(() => randomUUID()),
      events.map((event) => event.eventId),
      events.map((event) => event.type),
      events.map((event) => event.source),
      events.map((event) => toTimestampText(event.occurredAt)),
      events.map((event) => JSON.stringify(event.properties)),
    ],
  );
  return new Set(rows.map((row) => row.eventId));
}

function mergeDeltas(deltas: readonly RollupDelta[]): RollupDelta[] {
  const merged = new Map<string, RollupDelta>();
  for (const delta of deltas) {
    const key = `${delta.metric}\u0000${delta.segment}\u0000${delta.ts.getTime()}`;
    const existing = merged.get(key);
    if (existing) {
      existing.value += delta.value;
      existing.count += delta.count;
    } else merged.set(key, { ...delta });
  }
  return [...merged.values()];
}

/** Adds deltas to the "1d" rollups: an upsert that adds, so history is never recomputed. */
export async function addDailyRollups(session: SqlSession, workspaceId: string, deltas: readonly RollupDelta[]): Promise<void> {
  const rows = mergeDeltas(deltas);
  if (rows.length === 0) return;
  await session.execute(
    `INSERT INTO "MetricPoint" ("workspaceId", "metric", "interval", "segment", "ts", "value", "count")
     SELECT $1, item.metric, '1d', item.segment, item.ts, item.value, item.count
       FROM UNNEST($2::text[], $3::text[], $4::timestamp(3)[], $5::float8[], $6::float8[]) AS item(metric, segment, ts, value, count)
     ON CONFLICT ("workspaceId", "metric", "interval", "segment", "ts")
     DO UPDATE SET "value" = "MetricPoint"."value" + EXCLUDED."value", "count" = "MetricPoint"."count" + EXCLUDED."count"`,
    [
      workspaceId,
      rows.map((row) => row.metric),
      rows.map((row) => row.segment),
      rows.map((row) => toTimestampText(row.ts)),
      rows.map((row) => row.value),
      rows.map((row) => row.count),
    ],
  );
}

/** SHA-256 of an actor id, hex: the only form in which an actor is kept outside its event. */
export function hashActorId(actorId: string): string {
  return createHash('sha256').update(actorId, 'utf8').digest('hex');
}

/** The "1d" MetricPoint series holding, per UTC day, how many actor-day rows exist (the exact DAU). */
export const activeActorsRollup = 'active_actors';

/**
 * Marks each actor of newly stored events active on the event's UTC day: one
 * row per (workspace, day, actor hash), so a second event of the same actor
 * that day (or a replay) adds nothing, and days may arrive in any order. The
 * same statement adds the rows it really inserted (RETURNING, so conflicts add
 * nothing) to the daily `active_actors` rollup: DAU and detection read a day's
 * count from there in O(days) instead of counting actor rows.
 */
export async function addActiveActorDays(session: SqlSession, workspaceId: string, events: readonly ValidSignalEvent[]): Promise<void> {
  const rows = new Map<string, { day: string; hash: string }>();
  for (const event of events) {
    if (event.actorId === undefined) continue;
    const day = toTimestampText(new Date(Math.floor(event.occurredAt.getTime() / dayMs) * dayMs));
    const hash = hashActorId(event.actorId);
    rows.set(`${day}|${hash}`, { day, hash });
  }
  if (rows.size === 0) return;
  // A fixed order, so two batches with overlapping actors take their row locks in the same order (no deadlock).
  const values = [...rows.values()].sort((a, b) => (a.day === b.day ? a.hash.localeCompare(b.hash) : a.day.localeCompare(b.day)));
  await session.execute(
    `WITH "inserted" AS (
       INSERT INTO "ActiveActorDay" ("workspaceId", "day", "actorHash")
       SELECT $1, item.day, decode(item.hash, 'hex') FROM UNNEST($2::timestamp(3)[], $3::text[]) AS item(day, hash)
       ON CONFLICT ("workspaceId", "day", "actorHash") DO NOTHING
       RETURNING "day")
     INSERT INTO "MetricPoint" ("workspaceId", "metric", "interval", "segment", "ts", "value", "count")
     SELECT $1, $4, '1d', '', "day", COUNT(*), COUNT(*) FROM "inserted" GROUP BY "day" ORDER BY "day"
     ON CONFLICT ("workspaceId", "metric", "interval", "segment", "ts")
     DO UPDATE SET "value" = "MetricPoint"."value" + EXCLUDED."value", "count" = "MetricPoint"."count" + EXCLUDED."count"`,
    [workspaceId, values.map((row) => row.day), values.map((row) => row.hash), activeActorsRollup],
  );
}

/** Events, their rollups and their active actors in one transaction: a 2xx means all are committed. */
export function createSignalEventStore(db: Database): SignalEventStore {
  return {
    storeEvents: (workspaceId, events, rollupsFor) =>
      db.transaction(async (transaction) => {
        const insertedIds = await insertEvents(transaction, workspaceId, events);
        const inserted = events.filter((event) => insertedIds.has(event.eventId));
        await addDailyRollups(transaction, workspaceId, rollupsFor(inserted));
        await addActiveActorDays(transaction, workspaceId, inserted);
        return { inserted: inserted.length };
      }),
  };
}

function createBillingWriter(session: SqlSession, workspaceId: string): BillingWriter {
  return {
    async upsertCustomer(customer) {
      const [row] = await session.query<{ id: string }>(
        `INSERT INTO "Customer" ("id", "workspaceId", "externalId", "name", "email", "country", "createdAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7::timestamp(3))
         ON CONFLICT ("workspaceId", "externalId") DO UPDATE SET "name" = EXCLUDED."name", "email" = COALESCE(EXCLUDED."email", "Customer"."email"),
           "country" = COALESCE(EXCLUDED."country", "Customer"."country"), "createdAt" = LEAST("Customer"."createdAt", EXCLUDED."createdAt")
         RETURNING "id"`,
        [randomUUID(), workspaceId, customer.externalId, customer.name, customer.email, customer.country, toTimestampText(customer.createdAt)],
      );
      return row!.id;
    },
    async resolveCustomer(externalId, seenAt) {
      // The no-op update makes RETURNING give the id of an existing row too.
      const [row] = await session.query<{ id: string }>(
        `INSERT INTO "Customer" ("id", "workspaceId", "externalId", "name", "createdAt") VALUES ($1, $2, $3, $3, $4::timestamp(3))
         ON CONFLICT ("workspaceId", "externalId") DO UPDATE SET "externalId" = EXCLUDED."externalId" RETURNING "id"`,
        [randomUUID(), workspaceId, externalId, toTimestampText(seenAt)],
      );
      return row!.id;
    },
    async upsertSubscription(subscription) {
      const rows = await session.query<{ id: string }>(
        `INSERT INTO "Subscription" ("id", "workspaceId", "customerId", "externalId", "planKey", "interval", "status", "amount",
           "trialStart", "trialEnd", "startedAt", "canceledAt", "endedAt", "updatedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7::"SubscriptionStatus", $8, $9::timestamp(3), $10::timestamp(3), $11::timestamp(3), $12::timestamp(3), $13::timestamp(3), $14::timestamp(3))
         ON CONFLICT ("workspaceId", "externalId") DO UPDATE SET "customerId" = EXCLUDED."customerId", "planKey" = EXCLUDED."planKey",
           "interval" = EXCLUDED."interval", "status" = EXCLUDED."status", "amount" = EXCLUDED."amount", "trialStart" = EXCLUDED."trialStart",
           "trialEnd" = EXCLUDED."trialEnd", "startedAt" = EXCLUDED."startedAt", "canceledAt" = EXCLUDED."canceledAt",
           "endedAt" = EXCLUDED."endedAt", "updatedAt" = EXCLUDED."updatedAt"
         WHERE "Subscription"."updatedAt" <= EXCLUDED."updatedAt"
         RETURNING "id"`,
        [
          randomUUID(), workspaceId, subscription.customerId, subscription.externalId, subscription.planKey, subscription.interval, subscription.status,
          subscription.amount, optionalTimestamp(subscription.trialStart), optionalTimestamp(subscription.trialEnd), toTimestampText(subscription.startedAt),
          optionalTimestamp(subscription.canceledAt), optionalTimestamp(subscription.endedAt), toTimestampText(subscription.observedAt),
        ],
      );
      return rows.length > 0;
    },
    listSubscriptions: (customerId) =>
      session.query(`SELECT "planKey", "interval", "status", "amount" FROM "Subscription" WHERE "workspaceId" = $1 AND "customerId" = $2`, [workspaceId, customerId]),
    async readCustomerMrr(customerId) {
      const [row] = await session.query<{ mrrAfter: number }>(
        `SELECT "mrrAfter" FROM "MrrChange" WHERE "workspaceId" = $1 AND "customerId" = $2 ORDER BY "occurredAt" DESC, "id" DESC LIMIT 1`,
        [workspaceId, customerId],
      );
      return row ? Number(row.mrrAfter) : 0;
    },
    async appendMrrChange(change) {
      await session.execute(
        `INSERT INTO "MrrChange" ("id", "workspaceId", "customerId", "occurredAt", "mrrBefore", "mrrAfter", "planKey", "sourceEvent")
         VALUES ($1, $2, $3, $4::timestamp(3), $5, $6, $7, $8) ON CONFLICT ("workspaceId", "sourceEvent") DO NOTHING`,
        [randomUUID(), workspaceId, change.customerId, toTimestampText(change.occurredAt), change.mrrBefore, change.mrrAfter, change.planKey, change.sourceEvent],
      );
    },
    async upsertInvoice(invoice) {
      // A late failure notice never turns a paid invoice back into a failed one.
      await session.execute(
        `INSERT INTO "Invoice" ("id", "workspaceId", "customerId", "externalId", "amount", "currency", "status", "attemptCount", "dueAt", "paidAt", "lastFailedAt", "createdAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7::"InvoiceStatus", $8, $9::timestamp(3), $10::timestamp(3), $11::timestamp(3), $12::timestamp(3))
         ON CONFLICT ("workspaceId", "externalId") DO UPDATE SET "amount" = EXCLUDED."amount",
           "status" = CASE WHEN "Invoice"."status" = 'paid' AND EXCLUDED."status" = 'failed' THEN "Invoice"."status" ELSE EXCLUDED."status" END,
           "attemptCount" = GREATEST("Invoice"."attemptCount", EXCLUDED."attemptCount"), "paidAt" = COALESCE(EXCLUDED."paidAt", "Invoice"."paidAt"),
           "lastFailedAt" = GREATEST("Invoice"."lastFailedAt", EXCLUDED."lastFailedAt")`,
        [
          randomUUID(), workspaceId, invoice.customerId, invoice.externalId, invoice.amount, invoice.currency, invoice.status, invoice.attemptCount,
          toTimestampText(invoice.dueAt), optionalTimestamp(invoice.paidAt), optionalTimestamp(invoice.lastFailedAt), toTimestampText(invoice.createdAt),
        ],
      );
    },
    addRollups: (deltas) => addDailyRollups(session, workspaceId, deltas),
  };
}

/** Billing facts from webhooks: the event id is claimed in the same transaction as the writes. */
export function createBillingStore(db: Database): BillingStore {
  return {
    applyBillingEvent: (workspaceId, event, work) =>
      db.transaction(async (transaction) => {
        const claimed = await insertEvents(transaction, workspaceId, [event]);
        if (claimed.size === 0) return false;
        await work(createBillingWriter(transaction, workspaceId));
        return true;
      }),
  };
}
