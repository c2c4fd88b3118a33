import {
  computeDemoChecksum,
  countDemoRows,
  generateDemoDataset,
  type DemoDataset,
  type DemoRowCounts,
  type GenerateDemoInput,
} from '@opspilot/core/demo';
import type { Database } from '../client';
import type { SqlSession } from '../sql-session';
import { insertMetricSeries, insertRows } from './bulk-insert';

/** Options of `seedDemo`: the anchor `now` plus the generator's optional seed and workspace naming. */
export type SeedDemoOptions = GenerateDemoInput;

export interface SeedSummary {
  workspaceId: string;
  slug: string;
  /** The UTC midnight the demo year ends at, ISO 8601. */
  anchor: string;
  seed: number;
  /** SHA-256 of the generated dataset (see computeDemoChecksum). */
  checksum: string;
  rows: DemoRowCounts;
  totalRows: number;
  /** Wall time of generating and loading, in milliseconds. */
  durationMs: number;
}

/**
 * Generates the demo business and loads it in one transaction: either all of
 * it lands or none. Rows go in as chunked multi-row statements, never one
 * Prisma create per row, so the full year loads in seconds.
 */
export async function seedDemo(db: Database, options: SeedDemoOptions): Promise<SeedSummary> {
  const started = performance.now();
  const dataset = generateDemoDataset(options);
  await db.transaction(async (transaction) => {
    await assertWorkspaceIsFree(transaction, dataset);
    await loadDemoDataset(transaction, dataset);
  });
  const rows = countDemoRows(dataset);
  return {
    workspaceId: dataset.workspace.id,
    slug: dataset.workspace.slug,
    anchor: dataset.anchor.toISOString(),
    seed: dataset.seed,
    checksum: computeDemoChecksum(dataset),
    rows,
    totalRows: Object.values(rows).reduce((sum, count) => sum + count, 0),
    durationMs: Math.round(performance.now() - started),
  };
}

/** Inserts every record of `dataset` through `session` (call inside a transaction). Returns rows per table. */
export async function loadDemoDataset(session: SqlSession, dataset: DemoDataset): Promise<DemoRowCounts> {
  const rows: DemoRowCounts = {
    Workspace: await insertRows(session, 'Workspace', [dataset.workspace]),
    Plan: await insertRows(session, 'Plan', dataset.plans),
    Customer: await insertRows(session, 'Customer', dataset.customers),
    Subscription: await insertRows(session, 'Subscription', dataset.subscriptions),
    MrrChange: await insertRows(session, 'MrrChange', dataset.mrrChanges),
    Invoice: await insertRows(session, 'Invoice', dataset.invoices),
    SupportTicket: await insertRows(session, 'SupportTicket', dataset.supportTickets),
    Deploy: await insertRows(session, 'Deploy', dataset.deploys),
    MetricPoint: 0,
  };
  for (const series of dataset.metricSeries) rows.MetricPoint += await insertMetricSeries(session, series);
  return rows;
}

async function assertWorkspaceIsFree(session: SqlSession, dataset: DemoDataset): Promise<void> {
  const existing = await session.query<{ slug: string }>(
    'SELECT "slug" FROM "Workspace" WHERE "id" = $1 OR "slug" = $2',
    [dataset.workspace.id, dataset.workspace.slug],
  );
  if (existing.length > 0) {
    throw new Error(
      `The demo workspace "${dataset.workspace.slug}" already exists; run \`pnpm db:reset\` to reload it.`,
    );
  }
}

/**
 * True when nobody has used the database yet: no workspace and no user. Boot
 * seeds the demo only then. Needs the migrated schema.
 */
export async function isDatabaseEmpty(db: SqlSession): Promise<boolean> {
  const [tables] = await db.query<{ workspace: string | null; user: string | null }>(
    `SELECT to_regclass('"Workspace"')::text AS "workspace", to_regclass('"user"')::text AS "user"`,
  );
  if (!tables?.workspace || !tables.user) {
    throw new Error(
      'The database has no OpsPilot schema yet: apply the migrations first (`pnpm db:migrate`).',
    );
  }
  const [row] = await db.query<{ used: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM "Workspace") OR EXISTS (SELECT 1 FROM "user") AS "used"',
  );
  return row?.used === false;
}
