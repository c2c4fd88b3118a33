import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../client';
import { seedDemo } from '../seed';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, describePostgres } from '../testing/test-databases';
import { createChatRepository } from './chat-repository';
import { createWorkflowStore } from './workflow-store';
import { fillWorkspace } from './workspace-purge.fixture';
import { purgeWorkspace, purgedTables, type WorkspacePurgeResult } from './workspace-purge';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 300_000 });

const doomed = 'ws_demo_acme';
const kept = 'ws-purge-kept';
/** Tables no workspace owns: the purge must not touch a row of them. */
const sharedTables = ['user', 'RunnerLease', 'WorkerHeartbeat', 'RateLimitBucket', 'GatewayRateBucket', 'OAuthClient'];

/**
 * Every column that names a workspace, read from the live schema rather than a
 * list in this file: a table added later is checked without anyone editing the
 * test. Any column whose name reads "workspace...id" counts, whatever its case.
 */
async function readWorkspaceColumns(db: Database): Promise<Array<{ table: string; column: string }>> {
  const rows = await db.query<{ table: string; column: string }>(
    `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'
        AND (lower(column_name) LIKE 'workspace%id' OR (table_name = 'Workspace' AND column_name = 'id'))
      ORDER BY table_name, column_name`,
  );
  return rows;
}

async function countOwnedRows(db: Database, columns: Array<{ table: string; column: string }>, workspaceId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { table, column } of columns) {
    const [row] = await db.query<{ count: number | string }>(`SELECT COUNT(*) AS "count" FROM "${table}" WHERE "${column}" = $1`, [workspaceId]);
    counts[`${table}.${column}`] = Number(row?.count ?? 0);
  }
  return counts;
}

async function countAll(db: Database, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await db.query<{ count: number | string }>(`SELECT COUNT(*) AS "count" FROM "${table}"`);
    counts[table] = Number(row?.count ?? 0);
  }
  return counts;
}

async function seedTwoWorkspaces(db: Database): Promise<void> {
  await seedDemo(db, { now: new Date('2026-11-25T10:15:00Z') });
  await db.prisma.workspace.create({ data: { id: kept, name: 'Kept', slug: 'purge-kept' } });
  const user = await db.prisma.user.create({ data: { id: 'user-purge', name: 'Owner', email: 'purge-owner@example.com' } });
  await fillWorkspace(db, { workspaceId: doomed, tag: 'doomed', userId: user.id });
  await fillWorkspace(db, { workspaceId: kept, tag: 'kept', userId: user.id });
  const at = new Date();
  await db.prisma.runnerLease.create({ data: { name: 'background-runner', holderId: 'web-1', acquiredAt: at, renewedAt: at, expiresAt: at } });
  await db.prisma.workerHeartbeat.create({ data: { id: 'worker-1', kind: 'web', host: 'localhost' } });
  await db.prisma.rateLimitBucket.create({ data: { key: `workspace:${doomed}`, windowStart: at, count: 1 } });
  await db.prisma.gatewayRateBucket.create({ data: { key: doomed, tokens: 1, updatedAtMs: 0 } });
  await db.prisma.oAuthClient.create({ data: { clientId: 'opc_purge', name: 'Purge client', redirectUris: [], tokenEndpointAuthMethod: 'none' } });
}

function describePurge(name: string, open: () => Promise<Database>) {
  describe(`purgeWorkspace on ${name}`, () => {
    let db: Database;
    let columns: Array<{ table: string; column: string }>;
    let doomedBefore: Record<string, number>;
    let keptBefore: Record<string, number>;
    let sharedBefore: Record<string, number>;
    let result: WorkspacePurgeResult | null;

    beforeAll(async () => {
      db = await open();
      await seedTwoWorkspaces(db);
      columns = await readWorkspaceColumns(db);
      doomedBefore = await countOwnedRows(db, columns, doomed);
      keptBefore = await countOwnedRows(db, columns, kept);
      sharedBefore = await countAll(db, [...sharedTables, 'WorkflowVersion', 'OAuthToken']);
      result = await purgeWorkspace(db, doomed);
      console.info(`purgeWorkspace on ${name}: ${result?.totalRows ?? 0} rows in ${result?.durationMs ?? 0} ms`);
    });
    afterAll(async () => db?.close());

    it('finds rows of both workspaces in every table with a workspace column before the purge', () => {
      expect(columns.length).toBeGreaterThan(30);
      const empty = (counts: Record<string, number>) => Object.entries(counts).filter(([, count]) => count === 0).map(([key]) => key);
      expect(empty(doomedBefore), 'tables the fixture left empty for the doomed workspace').toEqual([]);
      expect(empty(keptBefore), 'tables the fixture left empty for the kept workspace').toEqual([]);
      expect(doomedBefore['MetricPoint.workspaceId']).toBeGreaterThan(100_000);
    });

    it('leaves no row of the deleted workspace in any table that names a workspace', async () => {
      const after = await countOwnedRows(db, columns, doomed);
      expect(Object.entries(after).filter(([, count]) => count > 0)).toEqual([]);
      expect(await db.prisma.workspace.count({ where: { id: doomed } })).toBe(0);
    });

    it('reports per table the rows it deleted', () => {
      expect(result).not.toBeNull();
      for (const [key, count] of Object.entries(doomedBefore)) {
        const table = key.split('.')[0] ?? '';
        expect(result?.deleted[table], table).toBe(count);
      }
      expect(Object.keys(result?.deleted ?? {})).toEqual(purgedTables);
      expect(result?.deleted.WorkflowVersion).toBe(1);
      expect(result?.deleted.OAuthToken).toBe(1);
      expect(result?.totalRows).toBe(Object.values(result?.deleted ?? {}).reduce((sum, count) => sum + count, 0));
      expect(result?.chatSessions).toEqual([{ id: expect.any(String) as string, lastSeq: 1 }]);
    });

    it('leaves the other workspace and the tables no workspace owns untouched', async () => {
      expect(await countOwnedRows(db, columns, kept)).toEqual(keptBefore);
      const sharedAfter = await countAll(db, [...sharedTables, 'WorkflowVersion', 'OAuthToken']);
      expect(sharedAfter).toEqual({ ...sharedBefore, WorkflowVersion: (sharedBefore.WorkflowVersion ?? 0) - 1, OAuthToken: (sharedBefore.OAuthToken ?? 0) - 1 });
    });

    it('returns null for a workspace that is already gone', async () => {
      await expect(purgeWorkspace(db, doomed)).resolves.toBeNull();
    });

    it('leaves no step of the deleted workspace to claim or resume, while the other workspace still runs', async () => {
      const store = createWorkflowStore(db);
      const claimed = await store.claimNextStep({ workerId: 'worker-test', leaseMs: 30_000, now: new Date() });
      expect(claimed?.workspaceId).toBe(kept);
      expect(await store.claimNextStep({ workerId: 'worker-test', leaseMs: 30_000, now: new Date() })).toBeNull();
      expect(await store.listRuns({ workspaceId: doomed, limit: 10 })).toEqual([]);
    });

    it('makes a chat turn still writing into a deleted session fail instead of leaving an orphan event', async () => {
      const session = result?.chatSessions[0];
      const appending = createChatRepository(db).appendEvent({
        workspaceId: doomed, sessionId: session?.id ?? '', body: { type: 'text-delta', agent: 'planner', text: 'late' }, at: new Date(),
      });
      await expect(appending).rejects.toThrow(/not found/);
      expect(await db.prisma.chatEvent.count({ where: { workspaceId: doomed } })).toBe(0);
    });
  });
}

/** Resolves once some backend of this database waits on a row lock (the purge, blocked by the engine's run lock). */
async function waitForLockWaiter(db: Database): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const [row] = await db.query<{ count: number }>(
      `SELECT COUNT(*)::int AS "count" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if ((row?.count ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('The purge never waited for the run lock');
}

describePostgres('purgeWorkspace against a workflow step finishing at the same time (PostgreSQL)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createPostgresTestDatabase();
    await db.prisma.workspace.create({ data: { id: 'ws-race', name: 'Race', slug: 'race' } });
    const user = await db.prisma.user.create({ data: { id: 'user-race', name: 'Owner', email: 'race@example.com' } });
    await fillWorkspace(db, { workspaceId: 'ws-race', tag: 'race', userId: user.id });
  });
  afterAll(async () => db?.close());

  it('waits for the run lock the engine holds, then deletes what that transaction wrote; later run transactions find no run', async () => {
    const store = createWorkflowStore(db);
    const [run] = await store.listRuns({ workspaceId: 'ws-race', limit: 1 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let signalLocked: () => void = () => undefined;
    const locked = new Promise<void>((resolve) => (signalLocked = resolve));
    const engineWrite = store.withRunLock(run?.id ?? '', async (transaction) => {
      signalLocked();
      await gate;
      await transaction.appendEvent({ id: 'event-late', type: 'step-end', payload: {}, createdAt: new Date() });
      return 'written';
    });
    await locked;
    const purge = purgeWorkspace(db, 'ws-race');
    await waitForLockWaiter(db);
    release();
    await expect(engineWrite).resolves.toBe('written');
    const result = await purge;
    expect(result?.deleted.RunEvent).toBe(2);
    expect(await db.prisma.runEvent.count({ where: { workspaceId: 'ws-race' } })).toBe(0);
    await expect(store.withRunLock(run?.id ?? '', async () => 'late')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describePurge('PGlite', createEmbeddedTestDatabase);
describePostgres('purgeWorkspace on PostgreSQL (the run server)', () => {
  describePurge('PostgreSQL', createPostgresTestDatabase);
});
