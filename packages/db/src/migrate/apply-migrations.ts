import { randomUUID } from 'node:crypto';
import type { Database } from '../client';
import { runInTransaction } from '../client';
import { defaultMigrationsDirectory } from '../paths';
import type { SqlSession } from '../sql-session';
import { readMigrationFiles, type MigrationFile } from './migration-files';

export interface ApplyMigrationsOptions {
  /** Defaults to `<repo>/prisma/migrations`. */
  migrationsDirectory?: string;
}

export interface ApplyMigrationsResult {
  /** Names of the migrations applied by this call, in order. */
  applied: string[];
  /** How many migrations the database has now. */
  total: number;
}

/** Prisma's history table, column for column, so `prisma migrate status` reads the same history. */
const createHistoryTable = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** The key Prisma's CLI uses, so our boots and a CLI run also exclude each other. */
const advisoryLockKey = 72707369;

const embeddedQueues = new WeakMap<Database, Promise<unknown>>();

/**
 * Applies pending `migration.sql` files in name order, each in its own
 * transaction together with its `_prisma_migrations` row. A failing migration
 * rolls back completely (no history row, no partial schema) and the error
 * names it. Concurrent boots on PostgreSQL serialize on an advisory lock.
 */
export async function applyMigrations(database: Database, options: ApplyMigrationsOptions = {}): Promise<ApplyMigrationsResult> {
  const migrations = readMigrationFiles(options.migrationsDirectory ?? defaultMigrationsDirectory);
  if (database.mode === 'postgres') {
    return database.withConnection(async (connection) => {
      await connection.execute('SELECT pg_advisory_lock($1)', [advisoryLockKey]);
      try {
        return await applyPending(migrations, connection, (work) => runInTransaction(connection, work));
      } finally {
        await connection.execute('SELECT pg_advisory_unlock($1)', [advisoryLockKey]);
      }
    });
  }
  // PGlite lives in this process only: a promise chain is the lock.
  const previous = embeddedQueues.get(database) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => applyPending(migrations, database, (work) => database.transaction(work)));
  embeddedQueues.set(database, run);
  return run;
}

type TransactionRunner = (work: (transaction: SqlSession) => Promise<void>) => Promise<void>;

async function applyPending(migrations: MigrationFile[], session: SqlSession, inTransaction: TransactionRunner): Promise<ApplyMigrationsResult> {
  await session.executeScript(createHistoryTable);
  const done = await readAppliedNames(session);
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.name)) continue;
    try {
      await inTransaction((transaction) => applyOne(migration, transaction));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Migration ${migration.name} failed and was rolled back; the database is unchanged by it: ${reason}`, { cause: error });
    }
    applied.push(migration.name);
  }
  return { applied, total: done.size + applied.length };
}

async function readAppliedNames(session: SqlSession): Promise<Set<string>> {
  const unfinished = await session.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NULL AND rolled_back_at IS NULL`,
  );
  if (unfinished.length > 0) {
    const names = unfinished.map((row) => row.migration_name).join(', ');
    throw new Error(`Migration ${names} is recorded as started but not finished (a failed Prisma CLI run?); resolve it before booting.`);
  }
  const rows = await session.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  return new Set(rows.map((row) => row.migration_name));
}

async function applyOne(migration: MigrationFile, transaction: SqlSession): Promise<void> {
  const id = randomUUID();
  await transaction.execute(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
    [id, migration.checksum, migration.name],
  );
  await transaction.executeScript(migration.sql);
  await transaction.execute(`UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`, [id]);
}
