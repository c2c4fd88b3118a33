// The active-users-from-events case of bench/metric-query.ts on a real PostgreSQL
// server: 5,000 actors, 30% of them active each day for 90 days (135k events
// through `ingestEvents`, with the same events without actors first for the
// ingest cost), then exact DAU / WAU / MAU p50 / p99 over those 90 days.
import { createSignalsStores } from '../packages/db/src/index';
import { createPostgresTestDatabase, findPostgresBinaries, startPostgresServer } from '../packages/db/src/testing/index';
import { measureActiveUsersFromEvents } from './metric-query';

export default async function run(): Promise<Record<string, unknown>> {
  if (!findPostgresBinaries()) return { postgresSkipped: 1 };
  const server = await startPostgresServer();
  const db = await createPostgresTestDatabase(server);
  try {
    return { engine: 'postgres', ...(await measureActiveUsersFromEvents(db, createSignalsStores(db), new Date())) };
  } finally {
    await db.close();
    await server.stop();
  }
}
