// Ingest throughput through the batch path (`ingestEvents`: per-item zod
// validation, dedup, one transaction with UNNEST insert ... ON CONFLICT DO
// NOTHING plus the daily-rollup upsert) into PGlite and into PostgreSQL, with
// 5,000-event batches; then a full replay (all duplicates).
import { ingestEvents, type SignalEventInput } from '../packages/core/src/signals/index';
import { applyMigrations, createSignalsStores, inMemoryDataDir, openDatabase, type Database } from '../packages/db/src/index';
import { findPostgresBinaries, startPostgresServer } from '../packages/db/src/testing/index';

const batchSize = 5000;
const eventTypes = ['signup', 'ticket.created', 'payment.failed', 'page.viewed', 'metric'];

function makeBatch(batch: number): SignalEventInput[] {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: batchSize }, (_, index) => {
    const number = batch * batchSize + index;
    const type = eventTypes[number % eventTypes.length]!;
    return {
      id: `evt_${number}`,
      type,
      source: 'bench',
      occurredAt: new Date(start + number * 7_000).toISOString(),
      properties: type === 'metric' ? { name: 'requests', value: 120 } : { userId: `user_${number % 997}`, path: '/dashboard' },
    };
  });
}

async function measure(db: Database, batches: number, concurrency: number): Promise<Record<string, number>> {
  await db.execute(`INSERT INTO "Workspace" ("id", "name", "slug", "updatedAt") VALUES ('ws_bench', 'Bench', 'bench', now()) ON CONFLICT DO NOTHING`);
  const stores = createSignalsStores(db);
  const inputs = Array.from({ length: batches }, (_, batch) => makeBatch(batch));
  await ingestEvents(stores, 'ws_bench', { events: makeBatch(10_000).slice(0, 500), atomic: false }); // warm-up
  const run = async () => {
    const started = performance.now();
    let accepted = 0;
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const events = inputs[next++]!;
        const result = await ingestEvents(stores, 'ws_bench', { events, atomic: false });
        accepted += result.accepted;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { accepted, seconds: (performance.now() - started) / 1000 };
  };
  const fresh = await run();
  const replay = await run();
  const total = batches * batchSize;
  if (fresh.accepted !== total || replay.accepted !== 0) throw new Error(`ingest stored ${fresh.accepted} then ${replay.accepted}, expected ${total} then 0`);
  return {
    events: total,
    eventsPerSecond: Math.round(total / fresh.seconds),
    replayEventsPerSecond: Math.round(total / replay.seconds),
    batchP50Ms: Math.round((fresh.seconds * 1000) / batches),
  };
}

export default async function run(): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = { batchSize };
  const embedded = await openDatabase({ mode: 'embedded', dataDir: inMemoryDataDir });
  try {
    await applyMigrations(embedded);
    result.pglite = await measure(embedded, 16, 1);
  } finally {
    await embedded.close();
  }
  if (!findPostgresBinaries()) return { ...result, postgres: 'skipped: no PostgreSQL binaries' };
  const server = await startPostgresServer();
  try {
    const db = await openDatabase({ mode: 'postgres', url: server.url });
    try {
      await applyMigrations(db);
      result.postgres = await measure(db, 30, 1);
      await db.execute(`DELETE FROM "SignalEvent"`);
      await db.execute(`DELETE FROM "MetricPoint"`);
      result.postgresTwoClients = await measure(db, 30, 2);
    } finally {
      await db.close();
    }
  } finally {
    await server.stop();
  }
  return result;
}
