import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../client';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, describePostgres, type TestDatabase } from '../testing';
import { createRunnerLeaseStore } from './runner-lease';

const hour = 3_600_000;

function describeLeaseRules(open: () => Promise<TestDatabase>) {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await open();
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('gives a free role to the first asker, renews it for the holder and refuses it to others while it lasts', async () => {
    const leases = createRunnerLeaseStore(db);
    const first = await leases.acquireOrRenew({ name: 'rules-a', holderId: 'p1', ttlMs: hour });
    expect(first.held).toBe(true);
    expect(first.lease).toMatchObject({ holderId: 'p1', lastRunAt: null });
    expect((await leases.acquireOrRenew({ name: 'rules-a', holderId: 'p2', ttlMs: hour })).held).toBe(false);
    const renewed = await leases.acquireOrRenew({ name: 'rules-a', holderId: 'p1', ttlMs: hour });
    expect(renewed.held).toBe(true);
    expect(renewed.lease?.acquiredAt).toEqual(first.lease?.acquiredAt);
    expect(renewed.lease!.expiresAt.getTime()).toBeGreaterThanOrEqual(first.lease!.expiresAt.getTime());
    // Stamped with the database clock, in UTC: within an hour of this process's clock.
    expect(Math.abs(renewed.lease!.renewedAt.getTime() - Date.now())).toBeLessThan(hour);
  });

  it('hands an expired lease to the next asker, and the old holder then stands by', async () => {
    const leases = createRunnerLeaseStore(db);
    expect((await leases.acquireOrRenew({ name: 'rules-b', holderId: 'p1', ttlMs: 0 })).held).toBe(true);
    const taken = await leases.acquireOrRenew({ name: 'rules-b', holderId: 'p2', ttlMs: hour });
    expect(taken).toMatchObject({ held: true, lease: { holderId: 'p2' } });
    expect((await leases.acquireOrRenew({ name: 'rules-b', holderId: 'p1', ttlMs: hour })).held).toBe(false);
  });

  it('lets a released role go at once, keeps lastRunAt, and records runs only for the holder', async () => {
    const leases = createRunnerLeaseStore(db);
    await leases.acquireOrRenew({ name: 'rules-c', holderId: 'p1', ttlMs: hour });
    await leases.recordRun({ name: 'rules-c', holderId: 'p2' });
    expect((await leases.read('rules-c'))?.lastRunAt).toBeNull();
    await leases.recordRun({ name: 'rules-c', holderId: 'p1' });
    const ran = (await leases.read('rules-c'))?.lastRunAt;
    expect(ran).toBeInstanceOf(Date);
    expect(await leases.release({ name: 'rules-c', holderId: 'p2' })).toBe(false);
    expect(await leases.release({ name: 'rules-c', holderId: 'p1' })).toBe(true);
    expect(await leases.acquireOrRenew({ name: 'rules-c', holderId: 'p2', ttlMs: hour })).toMatchObject({ held: true, lease: { holderId: 'p2', lastRunAt: ran } });
  });

  it('takes a live lease only when forced', async () => {
    const leases = createRunnerLeaseStore(db);
    await leases.acquireOrRenew({ name: 'rules-d', holderId: 'p1', ttlMs: hour });
    expect((await leases.acquireOrRenew({ name: 'rules-d', holderId: 'p2', ttlMs: hour, force: true })).held).toBe(true);
  });
}

describe('runner leases on PGlite', () => describeLeaseRules(createEmbeddedTestDatabase));

describePostgres('runner leases on PostgreSQL', () => {
  describeLeaseRules(createPostgresTestDatabase);

  describe('with many processes asking at once', () => {
    let db: TestDatabase & { url: string };
    const others: Database[] = [];
    beforeAll(async () => {
      db = await createPostgresTestDatabase();
      for (let index = 0; index < 3; index += 1) others.push(await openDatabase({ mode: 'postgres', url: db.url }));
    }, 60_000);
    afterAll(async () => {
      for (const other of others) await other.close();
      await db?.close();
    });

    it('gives a free role to exactly one of them', async () => {
      const stores = [db, ...others].map(createRunnerLeaseStore);
      const attempts = await Promise.all(
        stores.flatMap((store, index) => [0, 1, 2].map((round) => store.acquireOrRenew({ name: 'race', holderId: `p${index}-${round}`, ttlMs: hour }))),
      );
      const winners = attempts.filter((attempt) => attempt.held);
      expect(winners).toHaveLength(1);
      expect((await stores[0]!.read('race'))?.holderId).toBe(winners[0]?.lease?.holderId);
    });
  });
});
