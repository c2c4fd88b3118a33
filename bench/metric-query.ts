// Latency of a 365-day daily metric query through the signals service
// (`readMetricSeries`: load the facts the formula reads, SQL per-period
// aggregation for telemetry, core's computeMetricSeries) on the seeded demo
// business in an in-memory PGlite, after the daily telemetry rollups are refreshed.
import { readMetricSeries } from '../packages/core/src/signals/index';
import { applyMigrations, createSignalsStores, inMemoryDataDir, openDatabase, refreshTelemetryRollups } from '../packages/db/src/index';
import { seedDemo } from '../packages/db/src/seed/index';
import { percentile } from './_support';

const dayMs = 86_400_000;
const metrics = ['mrr', 'nrr', 'failed_payments', 'signups', 'request_rate', 'latency_p95'];
const samplesPerMetric = 40;

export default async function run(): Promise<Record<string, unknown>> {
  const db = await openDatabase({ mode: 'embedded', dataDir: inMemoryDataDir });
  try {
    await applyMigrations(db);
    const { workspaceId, anchor } = await seedDemo(db, { now: new Date() });
    const to = new Date(anchor);
    const from = new Date(to.getTime() - 365 * dayMs);
    const stores = createSignalsStores(db);
    // What boot's first detection run does after seeding: daily rollups of the 5-minute telemetry.
    const refreshStarted = performance.now();
    await refreshTelemetryRollups(db, workspaceId, { until: to });
    const refreshMs = performance.now() - refreshStarted;
    const result: Record<string, unknown> = { rangeDays: 365, interval: 'day', engine: 'pglite' };
    const all: number[] = [];
    for (const metric of metrics) {
      const samples: number[] = [];
      for (let index = 0; index < samplesPerMetric + 5; index += 1) {
        const started = performance.now();
        const series = await readMetricSeries(stores, workspaceId, { metric, from, to, interval: 'day' });
        if (series.points.length !== 365) throw new Error(`${metric}: ${series.points.length} points`);
        if (index >= 5) samples.push(performance.now() - started);
      }
      all.push(...samples);
      result[`${metric}P50Ms`] = percentile(samples, 0.5);
      result[`${metric}P99Ms`] = percentile(samples, 0.99);
    }
    result.telemetryRollupRefreshMs = Math.round(refreshMs);
    result.allMetricsP50Ms = percentile(all, 0.5);
    result.allMetricsP99Ms = percentile(all, 0.99);
    return result;
  } finally {
    await db.close();
  }
}
