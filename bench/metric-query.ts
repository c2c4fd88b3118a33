// Latency of a 365-day daily metric query through the signals service
// (`readMetricSeries`: load the facts the formula reads, SQL per-period
// aggregation for telemetry, core's computeMetricSeries) on the seeded demo
// business in an in-memory PGlite, after the daily telemetry rollups are refreshed.
// Second case: active users from events that name an actor (5,000 actors, 30% of
// them active each day for 90 days, ingested through the real batch path), then
// exact DAU / WAU / MAU over those 90 days.
import { ingestEvents, readMetricSeries, type MetricInterval } from '../packages/core/src/signals/index';
import { applyMigrations, createSignalsStores, inMemoryDataDir, openDatabase, refreshTelemetryRollups, type Database } from '../packages/db/src/index';
import { seedDemo } from '../packages/db/src/seed/index';
import { percentile } from './_support';

const dayMs = 86_400_000;
const metrics = ['mrr', 'nrr', 'failed_payments', 'signups', 'request_rate', 'latency_p95', 'active_users'];
const actorCount = 5000;
const activityDays = 90;
const actorSamples = 20;
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
    Object.assign(result, await measureActiveUsersFromEvents(db, stores, to));
    result.telemetryRollupRefreshMs = Math.round(refreshMs);
    result.allMetricsP50Ms = percentile(all, 0.5);
    result.allMetricsP99Ms = percentile(all, 0.99);
    return result;
  } finally {
    await db.close();
  }
}

/** Actor `actor` is active on day `day` for 30% of (actor, day) pairs: exactly 1,500 a day. */
function isActive(actor: number, day: number): boolean {
  return (actor + 7 * day) % 10 < 3;
}

/** Expected distinct actors of days [first, last): the check that the figures are of a correct answer. */
function countExpected(first: number, last: number): number {
  let count = 0;
  for (let actor = 0; actor < actorCount; actor += 1) {
    for (let day = first; day < last; day += 1) if (isActive(actor, day)) { count += 1; break; }
  }
  return count;
}

async function ingestActivity(db: Database, stores: ReturnType<typeof createSignalsStores>, workspaceId: string, start: number, withActors: boolean): Promise<{ events: number; ms: number }> {
  await db.execute(`INSERT INTO "Workspace" ("id", "name", "slug", "updatedAt") VALUES ($1, $1, $1, now()) ON CONFLICT DO NOTHING`, [workspaceId]);
  let batch: unknown[] = [];
  let events = 0;
  const started = performance.now();
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await ingestEvents(stores, workspaceId, { events: batch, atomic: false });
    if (result.accepted !== batch.length) throw new Error(`ingest accepted ${result.accepted} of ${batch.length}`);
    events += batch.length;
    batch = [];
  };
  for (let day = 0; day < activityDays; day += 1) {
    for (let actor = 0; actor < actorCount; actor += 1) {
      if (!isActive(actor, day)) continue;
      const occurredAt = new Date(start + day * dayMs + ((actor * 7919) % dayMs)).toISOString();
      batch.push({ id: `view-${day}-${actor}`, type: 'page.viewed', source: 'bench', occurredAt, ...(withActors ? { actorId: `user-${actor}` } : {}) });
      if (batch.length === 5000) await flush();
    }
  }
  await flush();
  return { events, ms: performance.now() - started };
}

/** Ingests the actor activity through the real batch path, then times exact DAU / WAU / MAU (checked against the expected counts). */
export async function measureActiveUsersFromEvents(db: Database, stores: ReturnType<typeof createSignalsStores>, anchor: Date): Promise<Record<string, number>> {
  const workspaceId = 'ws_bench_actors';
  const to = Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), anchor.getUTCDate());
  const start = to - activityDays * dayMs;
  // The same events without actors first, into another workspace: the cost of the actor-day write is the difference.
  const plain = await ingestActivity(db, stores, `${workspaceId}_plain`, start, false);
  const ingest = await ingestActivity(db, stores, workspaceId, start, true);
  const figures: Record<string, number> = {
    activeActorEvents: ingest.events,
    ingestWithoutActorsEventsPerSecond: Math.round(plain.events / (plain.ms / 1000)),
    ingestWithActorsEventsPerSecond: Math.round(ingest.events / (ingest.ms / 1000)),
  };
  const cases: [string, MetricInterval][] = [['dau', 'day'], ['wau', 'week'], ['mau', 'month']];
  for (const [name, interval] of cases) {
    const samples: number[] = [];
    for (let index = 0; index < actorSamples + 3; index += 1) {
      const started = performance.now();
      const series = await readMetricSeries(stores, workspaceId, { metric: 'active_users', from: new Date(start), to: new Date(to), interval });
      if (index >= 3) samples.push(performance.now() - started);
      const first = series.points[0]!;
      const expected = countExpected(0, Math.round((first.end.getTime() - start) / dayMs));
      if (first.value !== expected) throw new Error(`${name}: first period ${first.value}, expected ${expected}`);
    }
    figures[`${name}FromEventsP50Ms`] = percentile(samples, 0.5);
    figures[`${name}FromEventsP99Ms`] = percentile(samples, 0.99);
  }
  return figures;
}
