import pg from 'pg';
import { describe, inject, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase, wrapPGlite, type Database } from '../client';
import { inMemoryDataDir } from '../config';
import { applyMigrations } from '../migrate/apply-migrations';
import { missingPostgresMessage, type PostgresServer } from './postgres-server';

/** A migrated throwaway database; `close()` also discards it. */
export type TestDatabase = Database & { url?: string };

let migratedTemplate: Promise<Blob> | undefined;

/** One migrated PGlite per process, dumped: loading the dump skips initdb, the slow part. */
async function dumpMigratedTemplate(): Promise<Blob> {
  const pglite = await PGlite.create();
  const database = wrapPGlite(pglite, { mode: 'embedded', dataDir: inMemoryDataDir });
  try {
    await applyMigrations(database);
    return await pglite.dumpDataDir('none');
  } finally {
    await database.close();
  }
}

/** A fresh in-memory PGlite with every migration applied. */
export async function createEmbeddedTestDatabase(): Promise<TestDatabase> {
  migratedTemplate ??= dumpMigratedTemplate();
  const pglite = await PGlite.create({ loadDataDir: await migratedTemplate });
  return wrapPGlite(pglite, { mode: 'embedded', dataDir: inMemoryDataDir });
}

/** The run's PostgreSQL URL: injected by the globalSetup, else TEST_POSTGRES_URL. */
export function readPostgresTestUrl(): string | undefined {
  let injected: string | null | undefined;
  try {
    injected = inject('opspilotPostgresUrl');
  } catch {
    injected = undefined; // Not inside a Vitest worker.
  }
  return injected ?? process.env.TEST_POSTGRES_URL ?? undefined;
}

/** Whether PostgreSQL tests can run in this process. */
export function postgresAvailable(): boolean {
  return readPostgresTestUrl() !== undefined;
}

let databaseCounter = 0;

/**
 * A fresh database on the run's server (or the given one), migrated. Each
 * test file should create its own; `close()` drops it.
 */
export async function createPostgresTestDatabase(server?: PostgresServer | string): Promise<TestDatabase & { url: string }> {
  const serverUrl = typeof server === 'string' ? server : (server?.url ?? readPostgresTestUrl());
  if (!serverUrl) throw new Error(`No PostgreSQL test server: add the db package's globalSetup to vitest.config.ts. ${missingPostgresMessage}`);
  databaseCounter += 1;
  const name = `opspilot_test_${process.pid}_${databaseCounter}_${Math.random().toString(36).slice(2, 8)}`;
  await runAdminStatement(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ mode: 'postgres', url: url.toString() });
  try {
    await applyMigrations(database);
  } catch (error) {
    await database.close();
    await runAdminStatement(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    throw error;
  }
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      await runAdminStatement(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

async function runAdminStatement(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * `describe` for PostgreSQL suites: runs when a server is available, skips
 * with a loud warning when binaries are missing locally, and fails when
 * CI=true, so CI never passes by silently skipping.
 */
export function describePostgres(name: string, suite: () => void): void {
  if (postgresAvailable()) {
    describe(name, suite);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs PostgreSQL in CI', () => {
        throw new Error(`CI=true and ${missingPostgresMessage}`);
      });
    });
    return;
  }
  console.warn(`!! SKIPPING "${name}": ${missingPostgresMessage}`);
  describe.skip(name, suite);
}
