import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isAppError } from '@opspilot/core/errors';
import { ingestEvents, type SignalEventInput } from '@opspilot/core/signals';
import { openDatabase, type Database } from '../client';
import { applyMigrations } from '../migrate/apply-migrations';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, describePostgres } from '../testing/test-databases';
import { createSignalsStores } from './signals-repositories';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

async function openMigrated(config: Parameters<typeof openDatabase>[0]): Promise<Database> {
  const db = await openDatabase(config);
  await applyMigrations(db);
  return db;
}

async function createWorkspace(db: Database, id: string): Promise<void> {
  await db.execute(`INSERT INTO "Workspace" ("id", "name", "slug", "updatedAt") VALUES ($1, $1, $1, now())`, [id]);
}

function makeEvent(index: number, overrides: Partial<SignalEventInput> = {}): SignalEventInput {
  return {
    id: `evt-${index}`,
    type: index % 2 === 0 ? 'signup' : 'ticket.created',
    source: 'test',
    occurredAt: new Date(Date.UTC(2026, 0, 1 + (index % 3), 12)).toISOString(),
    properties: { index },
    ...overrides,
  };
}

async function countEvents(db: Database, workspaceId: string): Promise<number> {
  const [row] = await db.query<{ count: string | number }>(`SELECT COUNT(*) AS "count" FROM "SignalEvent" WHERE "workspaceId" = $1`, [workspaceId]);
  return Number(row?.count ?? 0);
}

async function readRollup(db: Database, workspaceId: string, metric: string, segment = ''): Promise<number> {
  const [row] = await db.query<{ total: number | null }>(
    `SELECT SUM("value") AS "total" FROM "MetricPoint" WHERE "workspaceId" = $1 AND "metric" = $2 AND "segment" = $3 AND "interval" = '1d'`,
    [workspaceId, metric, segment],
  );
  return Number(row?.total ?? 0);
}

async function expectAppError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(isAppError(error) ? error.code : error).toBe(code);
}

function describeIngest(name: string, open: () => Promise<{ db: Database; close: () => Promise<void> }>) {
  describe(`signal ingest on ${name}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let deps: ReturnType<typeof createSignalsStores>;
    beforeAll(async () => {
      ({ db, close } = await open());
      deps = createSignalsStores(db);
      for (const id of ['ws-replay', 'ws-items', 'ws-atomic', 'ws-big', 'ws-other']) await createWorkspace(db, id);
    });
    afterAll(async () => close());

    it('stores a batch once: a replay is all duplicates and adds nothing to the rollups', async () => {
      const events = Array.from({ length: 300 }, (_, index) => makeEvent(index));
      expect(await ingestEvents(deps, 'ws-replay', { events, atomic: false })).toEqual({ accepted: 300, duplicates: 0, rejected: 0, errors: [] });
      expect(await readRollup(db, 'ws-replay', 'signups')).toBe(150);
      expect(await readRollup(db, 'ws-replay', 'ticket_volume')).toBe(150);
      const replay = await ingestEvents(deps, 'ws-replay', { events: [...events, makeEvent(300)], atomic: false });
      expect(replay).toMatchObject({ accepted: 1, duplicates: 300 });
      expect(await countEvents(db, 'ws-replay')).toBe(301);
      expect(await readRollup(db, 'ws-replay', 'signups')).toBe(151);
      expect(await readRollup(db, 'ws-replay', 'event_count', 'signup')).toBe(151);
    });

    it('scopes dedup by workspace: the same ids in another workspace are new', async () => {
      const result = await ingestEvents(deps, 'ws-other', { events: [makeEvent(1), makeEvent(2)], atomic: false });
      expect(result.accepted).toBe(2);
    });

    it('counts a repeated id inside one batch as a duplicate', async () => {
      const result = await ingestEvents(deps, 'ws-other', { events: [makeEvent(50), makeEvent(50)], atomic: false });
      expect(result).toMatchObject({ accepted: 1, duplicates: 1 });
    });

    it('keeps the valid items of a mixed batch and answers per-item errors for the rest', async () => {
      const events: unknown[] = [makeEvent(1), { ...makeEvent(2), occurredAt: 'yesterday' }, 42, makeEvent(3, { type: 'bad type!' })];
      const result = await ingestEvents(deps, 'ws-items', { events, atomic: false });
      expect(result.accepted).toBe(1);
      expect(result.rejected).toBe(3);
      expect(result.errors.map((error) => [error.index, error.id])).toEqual([[1, 'evt-2'], [2, null], [3, 'evt-3']]);
      expect(result.errors[0]!.issues[0]!.path).toBe('occurredAt');
      expect(await countEvents(db, 'ws-items')).toBe(1);
    });

    it('refuses an atomic batch with an invalid item and stores nothing', async () => {
      await expectAppError(ingestEvents(deps, 'ws-atomic', { events: [makeEvent(1), { id: 'x' }], atomic: true }), 'BAD_REQUEST');
      await expectAppError(ingestEvents(deps, 'ws-atomic', { events: [{ id: 'only-bad' }], atomic: false }), 'BAD_REQUEST');
      expect(await countEvents(db, 'ws-atomic')).toBe(0);
      expect(await readRollup(db, 'ws-atomic', 'signups')).toBe(0);
    });

    it('refuses 5,001 events as too large and stores nothing; 5,000 are accepted', async () => {
      const events = Array.from({ length: 5001 }, (_, index) => makeEvent(index));
      await expectAppError(ingestEvents(deps, 'ws-big', { events, atomic: false }), 'PAYLOAD_TOO_LARGE');
      expect(await countEvents(db, 'ws-big')).toBe(0);
      expect((await ingestEvents(deps, 'ws-big', { events: events.slice(0, 5000), atomic: false })).accepted).toBe(5000);
      expect(await countEvents(db, 'ws-big')).toBe(5000);
    });

    it('rolls a failure of the rollup back together with the events (one transaction)', async () => {
      const error = await deps.events
        .storeEvents('ws-atomic', [{ eventId: 'tx-1', type: 'signup', source: 'test', occurredAt: new Date(), properties: {} }], () => [
          { metric: 'signups', segment: '', ts: new Date(Number.NaN), value: 1, count: 1 },
        ])
        .then(() => null, (caught: unknown) => caught);
      expect(error).not.toBeNull();
      expect(await countEvents(db, 'ws-atomic')).toBe(0);
    });
  });
}

describeIngest('PGlite', async () => {
  const db = await createEmbeddedTestDatabase();
  return { db, close: () => db.close() };
});

// The run's PostgreSQL server (the db package's globalSetup); CI fails rather than skip without one.
describePostgres('PostgreSQL', () => {
  describeIngest('PostgreSQL', async () => {
    const db = await createPostgresTestDatabase();
    return { db, close: () => db.close() };
  });
});

describe('durability', () => {
  it('a committed batch is in the database after closing and reopening an on-disk PGlite', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'opspilot-signals-durable-'));
    try {
      let db = await openMigrated({ mode: 'embedded', dataDir });
      await createWorkspace(db, 'ws-durable');
      const events = Array.from({ length: 1000 }, (_, index) => makeEvent(index));
      expect((await ingestEvents(createSignalsStores(db), 'ws-durable', { events, atomic: false })).accepted).toBe(1000);
      await db.close();
      db = await openMigrated({ mode: 'embedded', dataDir });
      expect(await countEvents(db, 'ws-durable')).toBe(1000);
      expect(await readRollup(db, 'ws-durable', 'signups')).toBe(500);
      await db.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
