// Seed time of the full demo year into a fresh in-memory PGlite: generation
// alone, then generation + load in one transaction (what boot does), and rows/s.
import { generateDemoDataset } from '../packages/core/src/demo/index';
import { applyMigrations, inMemoryDataDir, openDatabase } from '../packages/db/src/index';
import { seedDemo } from '../packages/db/src/seed/index';

export default async function run() {
  const now = new Date();
  const generateStarted = performance.now();
  generateDemoDataset({ now });
  const generateMs = performance.now() - generateStarted;

  const openStarted = performance.now();
  const db = await openDatabase({ mode: 'embedded', dataDir: inMemoryDataDir });
  try {
    await applyMigrations(db);
    const openAndMigrateMs = performance.now() - openStarted;
    const seedStarted = performance.now();
    const summary = await seedDemo(db, { now });
    const seedMs = performance.now() - seedStarted;
    return {
      seedMs: Math.round(seedMs),
      generateMs: Math.round(generateMs),
      openAndMigrateMs: Math.round(openAndMigrateMs),
      rows: summary.totalRows,
      metricPoints: summary.rows.MetricPoint,
      rowsPerSecond: Math.round(summary.totalRows / (seedMs / 1000)),
      checksum: summary.checksum,
    };
  } finally {
    await db.close();
  }
}
