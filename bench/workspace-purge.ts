// Deleting the demo workspace (the full year: ~421k metric points, ~436k rows in
// all) with purgeWorkspace, on a fresh in-memory PGlite and on a real PostgreSQL
// server: the wall time of the one purge transaction, and rows/s.
import { applyMigrations, inMemoryDataDir, openDatabase, purgeWorkspace, type Database } from '../packages/db/src/index';
import { seedDemo } from '../packages/db/src/seed/index';
import { createPostgresTestDatabase, findPostgresBinaries, startPostgresServer } from '../packages/db/src/testing/index';

async function measurePurge(db: Database, prefix: string): Promise<Record<string, number>> {
  const summary = await seedDemo(db, { now: new Date() });
  const started = performance.now();
  const result = await purgeWorkspace(db, summary.workspaceId);
  const purgeMs = performance.now() - started;
  if (!result) throw new Error('the demo workspace was not found');
  return {
    [`${prefix}PurgeMs`]: Math.round(purgeMs),
    [`${prefix}Rows`]: result.totalRows,
    [`${prefix}MetricPoints`]: result.deleted.MetricPoint ?? 0,
    [`${prefix}RowsPerSecond`]: Math.round(result.totalRows / (purgeMs / 1000)),
  };
}

export default async function run(): Promise<Record<string, unknown>> {
  const embedded = await openDatabase({ mode: 'embedded', dataDir: inMemoryDataDir });
  let figures: Record<string, unknown>;
  try {
    await applyMigrations(embedded);
    figures = await measurePurge(embedded, 'pglite');
  } finally {
    await embedded.close();
  }
  if (!findPostgresBinaries()) return { ...figures, postgresSkipped: 1 };
  const server = await startPostgresServer();
  const postgres = await createPostgresTestDatabase(server);
  try {
    return { ...figures, ...(await measurePurge(postgres, 'postgres')) };
  } finally {
    await postgres.close();
    await server.stop();
  }
}
