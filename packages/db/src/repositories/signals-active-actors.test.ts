import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestEvents, ingestWebhookEvent, readMetricSeries, type MetricInterval } from '@opspilot/core/signals';
import type { Database } from '../client';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, describePostgres } from '../testing/test-databases';
import { addDailyRollups, toTimestampText } from './signals-events';
import { createDetectionSeriesStore } from './signals-facts';
import { createSignalsStores } from './signals-repositories';
import { readWorkspaceCapabilities } from './ui-schema-repository';
import { readWorkspaceOverview } from './workspace-repository';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const dayMs = 86_400_000;
/** Monday 5 January 2026 (ISO week 2); Sunday 11 January ends that week. */
const monday = Date.UTC(2026, 0, 5);

function active(id: string, actor: Record<string, unknown>, occurredAt: string) {
  return { id, type: 'page.viewed', source: 'app', occurredAt, properties: { path: '/home' }, ...actor };
}

/**
 * The hand-computed fixture: A and B on Monday, A on Tuesday (twice), C on
 * Sunday (sent as Monday 01:30 at +02:00, which is Sunday 23:30 UTC), one event
 * without an actor; in February A and D. DAU Mon..Sun = 2,1,0,0,0,0,1; the ISO
 * week = 3 (A, B, C); January = 3, February = 2.
 */
const fixture = [
  active('a-mon', { actorId: 'user-A' }, '2026-01-05T09:00:00Z'),
  active('b-mon', { properties: { userId: 'user-B' } }, '2026-01-05T23:59:59.999Z'),
  active('a-tue', { actorId: 'user-A' }, '2026-01-06T08:00:00Z'),
  active('a-tue-again', { properties: { userId: 'user-A' } }, '2026-01-06T18:00:00Z'),
  active('c-sun', { actorId: 'user-C' }, '2026-01-12T01:30:00+02:00'),
  active('nobody', {}, '2026-01-07T12:00:00Z'),
  active('a-feb', { actorId: 'user-A' }, '2026-02-03T10:00:00Z'),
  active('d-feb', { properties: { userId: 4242 } }, '2026-02-04T10:00:00Z'),
];

async function createWorkspace(db: Database, id: string): Promise<void> {
  await db.execute(`INSERT INTO "Workspace" ("id", "name", "slug", "updatedAt") VALUES ($1, $1, $1, now())`, [id]);
}

/** Per day: [day, actor rows, `active_actors` rollup]; the rollup must equal the rows on every day. */
async function compareRollupWithRows(db: Database, workspaceId: string): Promise<[string, number, number][]> {
  const rows = await db.query<{ day: string; rows: string | number; rollup: number | null }>(
    `SELECT to_char(a."day", 'YYYY-MM-DD') AS "day", COUNT(*) AS "rows", MAX(m."value") AS "rollup" FROM "ActiveActorDay" a
       LEFT JOIN "MetricPoint" m ON m."workspaceId" = a."workspaceId" AND m."metric" = 'active_actors' AND m."interval" = '1d' AND m."segment" = '' AND m."ts" = a."day"
      WHERE a."workspaceId" = $1 GROUP BY a."day" ORDER BY a."day"`,
    [workspaceId],
  );
  return rows.map((row) => [row.day, Number(row.rows), Number(row.rollup ?? 0)]);
}

async function countRows(db: Database, table: string, workspaceId: string): Promise<number> {
  const [row] = await db.query<{ count: string | number }>(`SELECT COUNT(*) AS "count" FROM "${table}" WHERE "workspaceId" = $1`, [workspaceId]);
  return Number(row?.count ?? 0);
}

function describeActiveActors(name: string, open: () => Promise<{ db: Database; close: () => Promise<void> }>) {
  describe(`active users from ingested events on ${name}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let deps: ReturnType<typeof createSignalsStores>;
    const series = async (workspaceId: string, interval: MetricInterval, from: number, to: number) =>
      (await readMetricSeries(deps, workspaceId, { metric: 'active_users', from: new Date(from), to: new Date(to), interval })).points.map((point) => point.value);

    beforeAll(async () => {
      ({ db, close } = await open());
      deps = createSignalsStores(db);
      for (const id of ['ws-fixture', 'ws-wrong', 'ws-floor', 'ws-rollback', 'ws-webhook', 'ws-concurrent']) await createWorkspace(db, id);
      expect(await ingestEvents(deps, 'ws-fixture', { events: fixture, atomic: false })).toMatchObject({ accepted: 8, rejected: 0 });
    });
    afterAll(async () => close());

    it('counts distinct actors per UTC day, ISO week and month (hand-computed fixture)', async () => {
      expect(await series('ws-fixture', 'day', monday, monday + 7 * dayMs)).toEqual([2, 1, 0, 0, 0, 0, 1]);
      expect(await series('ws-fixture', 'week', monday, monday + 7 * dayMs)).toEqual([3]);
      expect(await series('ws-fixture', 'week', monday - 7 * dayMs, monday + 14 * dayMs)).toEqual([0, 3, 0]);
      expect(await series('ws-fixture', 'month', Date.UTC(2026, 0, 1), Date.UTC(2026, 2, 1))).toEqual([3, 2]);
      // The range bounds the count: a month clipped to Tuesday..Sunday sees A and C only.
      expect(await series('ws-fixture', 'month', monday + dayMs, Date.UTC(2026, 1, 1))).toEqual([2]);
    });

    it('a workspace that only sends events gets active users in its overview and an active-users panel in its layout', async () => {
      const sunday = new Date(monday + 6 * dayMs + 12 * 3_600_000);
      expect((await readWorkspaceOverview(db, 'ws-fixture', sunday))?.activeUsersLastDay).toBe(1); // C on Sunday
      expect((await readWorkspaceOverview(db, 'ws-fixture', new Date(monday + 12 * 3_600_000)))?.activeUsersLastDay).toBe(2); // A and B on Monday
      const capabilities = await readWorkspaceCapabilities(db, 'ws-fixture', new Date(Date.UTC(2026, 1, 10)));
      expect(capabilities.metricsWithData).toContain('active_users');
    });

    it('ignores duplicates: a replayed batch and a second event of an actor on the same day add nobody', async () => {
      expect(await ingestEvents(deps, 'ws-fixture', { events: fixture, atomic: false })).toMatchObject({ accepted: 0, duplicates: 8 });
      const again = await ingestEvents(deps, 'ws-fixture', { events: [active('a-mon-2', { actorId: 'user-A' }, '2026-01-05T10:00:00Z')], atomic: false });
      expect(again.accepted).toBe(1);
      expect(await series('ws-fixture', 'day', monday, monday + 2 * dayMs)).toEqual([2, 1]);
      // One row per (day, actor): A Mon, B Mon, A Tue, C Sun, A Feb, D Feb.
      expect(await countRows(db, 'ActiveActorDay', 'ws-fixture')).toBe(6);
      expect(await compareRollupWithRows(db, 'ws-fixture')).toEqual([
        ['2026-01-05', 2, 2], ['2026-01-06', 1, 1], ['2026-01-11', 1, 1], ['2026-02-03', 1, 1], ['2026-02-04', 1, 1],
      ]);
    });

    it('concurrent batches naming the same actors count each actor-day once (rollup equals rows)', async () => {
      const batch = (prefix: string) =>
        Array.from({ length: 600 }, (_, index) => active(`${prefix}-${index}`, { actorId: `user-${index % 150}` }, new Date(monday + Math.floor(index / 150) * dayMs + index * 1000).toISOString()));
      const results = await Promise.all(['x', 'y', 'z'].map((prefix) => ingestEvents(deps, 'ws-concurrent', { events: batch(prefix), atomic: false })));
      expect(results.map((result) => result.accepted)).toEqual([600, 600, 600]);
      const days = await compareRollupWithRows(db, 'ws-concurrent');
      expect(days.every(([, rows, rollup]) => rows === rollup)).toBe(true);
      expect(days.reduce((total, [, rows]) => total + rows, 0)).toBe(600); // 150 actors x 4 days
      expect(await series('ws-concurrent', 'week', monday, monday + 7 * dayMs)).toEqual([150]);
    });

    it('an event without an actor counts nobody', async () => {
      expect(await series('ws-fixture', 'day', monday + 2 * dayMs, monday + 3 * dayMs)).toEqual([0]);
    });

    it('keeps only the SHA-256 of an actor id, never the raw id', async () => {
      const rows = await db.query<{ hash: string; day: string }>(
        `SELECT encode("actorHash", 'hex') AS "hash", to_char("day", 'YYYY-MM-DD') AS "day" FROM "ActiveActorDay" WHERE "workspaceId" = $1 ORDER BY 2, 1`,
        ['ws-fixture'],
      );
      const sha = (value: string) => createHash('sha256').update(value).digest('hex');
      expect(rows).toContainEqual({ hash: sha('user-C'), day: '2026-01-11' });
      expect(rows).toContainEqual({ hash: sha('4242'), day: '2026-02-04' });
      const [leak] = await db.query<{ count: string | number }>(
        `SELECT COUNT(*) AS "count" FROM "ActiveActorDay" WHERE position(convert_to('user-', 'UTF8') IN "actorHash") > 0 OR encode("actorHash", 'escape') LIKE '%user-%'`,
      );
      expect(Number(leak?.count)).toBe(0);
      // A top-level actorId is not copied into the stored event either.
      const [event] = await db.query<{ properties: string }>(`SELECT "properties"::text AS "properties" FROM "SignalEvent" WHERE "workspaceId" = $1 AND "eventId" = 'a-mon'`, ['ws-fixture']);
      expect(event?.properties).not.toContain('user-A');
    });

    it('refuses an actor of the wrong type per item, naming the field, and stores nothing for that item', async () => {
      const result = await ingestEvents(deps, 'ws-wrong', {
        events: [
          active('object-user', { properties: { userId: { id: 'user-X' } } }, '2026-01-05T09:00:00Z'),
          active('bool-actor', { actorId: true }, '2026-01-05T09:00:00Z'),
          active('fine', { actorId: 'user-Y' }, '2026-01-05T09:00:00Z'),
        ],
        atomic: false,
      });
      expect(result).toMatchObject({ accepted: 1, rejected: 2 });
      expect(result.errors.map((error) => [error.id, error.issues.map((issue) => issue.path)])).toEqual([
        ['object-user', ['properties.userId']],
        ['bool-actor', ['actorId']],
      ]);
      expect(result.errors[0]!.issues[0]!.message).toMatch(/userId must be a string/);
      expect(await countRows(db, 'SignalEvent', 'ws-wrong')).toBe(1);
      expect(await countRows(db, 'ActiveActorDay', 'ws-wrong')).toBe(1);
    });

    it('takes the larger of the exact count and a daily rollup floor, per period', async () => {
      await ingestEvents(deps, 'ws-floor', { events: fixture, atomic: false });
      await db.transaction((session) => addDailyRollups(session, 'ws-floor', [{ metric: 'active_users', segment: '', ts: new Date(monday + dayMs), value: 5, count: 1 }]));
      expect(await series('ws-floor', 'day', monday, monday + 3 * dayMs)).toEqual([2, 5, 0]);
      expect(await series('ws-floor', 'week', monday, monday + 7 * dayMs)).toEqual([5]);
      const detection = await createDetectionSeriesStore(db).loadMetricPoints('ws-floor', { metric: 'active_users', interval: '1d', segment: '', from: new Date(monday), to: new Date(monday + 7 * dayMs) });
      expect(detection.map((point) => [toTimestampText(point.ts).slice(0, 10), point.value])).toEqual([['2026-01-05', 2], ['2026-01-06', 5], ['2026-01-11', 1]]);
    });

    it('rolls the actor days back with the events when the rollup write fails (one transaction)', async () => {
      const error = await deps.events
        .storeEvents('ws-rollback', [{ eventId: 'tx', type: 'page.viewed', source: 'app', occurredAt: new Date(monday), properties: {}, actorId: 'user-A' }], () => [
          { metric: 'x', segment: '', ts: new Date(Number.NaN), value: 1, count: 1 },
        ])
        .then(() => null, (caught: unknown) => caught);
      expect(error).not.toBeNull();
      expect(await countRows(db, 'ActiveActorDay', 'ws-rollback')).toBe(0);
      expect(await countRows(db, 'SignalEvent', 'ws-rollback')).toBe(0);
    });

    it('counts the actor of a Standard Webhooks delivery (data.userId) once across redeliveries', async () => {
      const delivery = { id: 'msg_1', timestampSeconds: monday / 1000 + 60, source: 'webhook', body: { type: 'login', data: { userId: 'user-W' } } };
      expect(await ingestWebhookEvent(deps, 'ws-webhook', delivery)).toEqual({ duplicate: false });
      expect(await ingestWebhookEvent(deps, 'ws-webhook', delivery)).toEqual({ duplicate: true });
      expect(await series('ws-webhook', 'day', monday, monday + dayMs)).toEqual([1]);
      const wrong = await ingestWebhookEvent(deps, 'ws-webhook', { ...delivery, id: 'msg_2', body: { data: { userId: ['x'] } } }).then(() => null, (caught: unknown) => caught);
      expect(wrong).toMatchObject({ code: 'BAD_REQUEST', issues: [{ path: 'data.userId' }] });
    });
  });
}

describeActiveActors('PGlite', async () => {
  const db = await createEmbeddedTestDatabase();
  return { db, close: () => db.close() };
});

// The run's PostgreSQL server (the db package's globalSetup); CI fails rather than skip without one.
describePostgres('PostgreSQL', () => {
  describeActiveActors('PostgreSQL', async () => {
    const db = await createPostgresTestDatabase();
    return { db, close: () => db.close() };
  });
});
