import {
  computeDemoChecksum,
  countDemoRows,
  generateDemoDataset,
  monthlyRecurringRevenue,
} from '@opspilot/core/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../client';
import { inMemoryDataDir } from '../config';
import { applyMigrations } from '../migrate/apply-migrations';
import { createPostgresTestDatabase, describePostgres } from '../testing/test-databases';
import { isDatabaseEmpty, seedDemo, type SeedSummary } from './index';

const now = new Date('2026-11-25T10:15:00Z');
const generated = generateDemoDataset({ now });

/** The same checks against every engine: a fresh migrated database, seeded once. */
function describeSeed(name: string, open: () => Promise<Database>) {
  describe(`seedDemo into ${name}`, () => {
    let db: Database;
    let emptyBeforeSeeding: boolean;
    let summary: SeedSummary;

    async function countRows(table: string): Promise<number> {
      const [row] = await db.query<{ count: number }>(`SELECT count(*)::int AS "count" FROM "${table}"`);
      return row?.count ?? -1;
    }

    beforeAll(async () => {
      db = await open();
      await applyMigrations(db);
      emptyBeforeSeeding = await isDatabaseEmpty(db);
      summary = await seedDemo(db, { now });
    }, 180_000);

    afterAll(async () => {
      await db?.close();
    });

    it('sees a migrated database as empty before seeding and as used after', async () => {
      expect(emptyBeforeSeeding).toBe(true);
      expect(await isDatabaseEmpty(db)).toBe(false);
    });

    it('loads exactly the row counts the generator reports', async () => {
      const expected = countDemoRows(generated);
      expect(summary.rows).toEqual(expected);
      for (const [table, count] of Object.entries(expected)) {
        expect(await countRows(table), table).toBe(count);
      }
      expect(summary.totalRows).toBe(Object.values(expected).reduce((sum, count) => sum + count, 0));
      expect(summary.checksum).toBe(computeDemoChecksum(generated));
      expect(summary).toMatchObject({
        workspaceId: 'ws_demo_acme',
        slug: 'acme-analytics',
        anchor: '2026-11-25T00:00:00.000Z',
      });
    });

    it('round-trips dates, enums and JSON through Prisma unchanged', async () => {
      const workspace = await db.prisma.workspace.findUniqueOrThrow({ where: { slug: 'acme-analytics' } });
      expect(workspace).toMatchObject({
        isDemo: true,
        name: 'Acme Analytics',
        settings: { demo: { anchor: '2026-11-25T00:00:00.000Z' } },
      });
      const subscriptions = await db.prisma.subscription.findMany({ orderBy: { id: 'asc' } });
      expect(subscriptions).toEqual(
        [...generated.subscriptions].sort((left, right) => (left.id < right.id ? -1 : 1)),
      );
      const invoice = generated.invoices.find((candidate) => candidate.status === 'uncollectible');
      expect(await db.prisma.invoice.findUnique({ where: { id: invoice?.id ?? '' } })).toEqual(invoice);
    });

    it('stores the 5-minute series at the generated timestamps and values', async () => {
      const series = generated.metricSeries.find((candidate) => candidate.metric === 'api_latency_p95_ms');
      if (!series) throw new Error('missing series');
      const index = 300 * 288 + 170;
      const ts = new Date(series.start.getTime() + index * 5 * 60_000);
      const point = await db.prisma.metricPoint.findUniqueOrThrow({
        where: {
          workspaceId_metric_interval_segment_ts: {
            workspaceId: 'ws_demo_acme',
            metric: 'api_latency_p95_ms',
            interval: '5m',
            segment: '',
            ts,
          },
        },
      });
      expect(point.value).toBe(series.values[index]);
      const [range] = await db.query<{ first: string; last: string }>(
        `SELECT min("ts")::text AS "first", max("ts")::text AS "last" FROM "MetricPoint" WHERE "metric" = 'signups' AND "interval" = '1d'`,
      );
      expect(range).toEqual({ first: '2025-11-25 00:00:00', last: '2026-11-24 00:00:00' });
    });

    it('keeps the loaded MRR ledger consistent with the loaded subscriptions', async () => {
      const [ledger] = await db.query<{ mrr: number }>(
        `SELECT coalesce(sum(last."mrrAfter"), 0)::int AS "mrr" FROM (
         SELECT DISTINCT ON ("customerId") "mrrAfter" FROM "MrrChange" ORDER BY "customerId", "occurredAt" DESC
       ) AS last`,
      );
      const live = await db.prisma.subscription.findMany({
        where: { status: { in: ['active', 'past_due'] } },
      });
      const fromSubscriptions = live.reduce(
        (sum, subscription) =>
          sum +
          monthlyRecurringRevenue(subscription.amount, subscription.interval === 'year' ? 'year' : 'month'),
        0,
      );
      expect(ledger?.mrr).toBe(fromSubscriptions);
      expect(fromSubscriptions).toBeGreaterThan(0);
    });

    it('refuses to seed the same demo workspace twice and leaves the data as it was', async () => {
      await expect(seedDemo(db, { now })).rejects.toThrow(/already exists.*db:reset/);
      expect(await countRows('Customer')).toBe(generated.customers.length);
      expect(await countRows('MetricPoint')).toBe(countDemoRows(generated).MetricPoint);
    });
  });
}

describeSeed('in-memory PGlite', () => openDatabase({ mode: 'embedded', dataDir: inMemoryDataDir }));

// A fresh database on the run's server (migrated already; applying the migrations again is a no-op).
describePostgres('PostgreSQL', () => {
  describeSeed('PostgreSQL', () => createPostgresTestDatabase());
});

describe('isDatabaseEmpty', () => {
  it('asks for migrations when the schema is missing', async () => {
    const bare = await openDatabase({ mode: 'embedded', dataDir: inMemoryDataDir });
    try {
      await expect(isDatabaseEmpty(bare)).rejects.toThrow(/apply the migrations/);
    } finally {
      await bare.close();
    }
  }, 60_000);
});
