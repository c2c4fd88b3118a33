import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { inMemoryDataDir, type DatabaseConfig, type DatabaseMode } from './config';
import { acquireDataDirLock } from './data-dir-lock';
import { PrismaClient } from './generated/prisma/client';
import { createPGliteSession, createPgSession, type SqlSession } from './sql-session';

/**
 * One open database: the Prisma client for typed access plus raw SQL for bulk
 * inserts and `SKIP LOCKED` queues. The same interface serves embedded PGlite
 * and PostgreSQL.
 */
export interface Database extends SqlSession {
  readonly prisma: PrismaClient;
  readonly mode: DatabaseMode;
  readonly config: DatabaseConfig;
  /** Runs `work` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(work: (transaction: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Runs `work` on one dedicated connection, for session state such as
   * advisory locks. PGlite has a single connection, so there it is shared.
   */
  withConnection<T>(work: (connection: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Opens the database the configuration names. Does not migrate: call `applyMigrations`. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  switch (config.mode) {
    case 'embedded':
      return openEmbeddedDatabase(config.dataDir, config);
    case 'postgres':
      return openPostgresDatabase(config.url, config);
  }
}

async function openEmbeddedDatabase(dataDir: string, config: DatabaseConfig): Promise<Database> {
  const inMemory = dataDir === inMemoryDataDir;
  const releaseLock = inMemory ? () => undefined : acquireDataDirLock(dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(inMemory ? undefined : path.join(dataDir, 'pglite'));
  } catch (error) {
    releaseLock();
    throw new Error(`OPSPILOT_DATA_DIR "${dataDir}": the embedded database could not open: ${String(error)}`);
  }
  return wrapPGlite(pglite, config, releaseLock);
}

/**
 * A Database over an already created PGlite (tests load a migrated template
 * with `loadDataDir`, skipping initdb). `close()` closes the PGlite too.
 */
export function wrapPGlite(pglite: PGlite, config: DatabaseConfig, onClose: () => void = () => undefined): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const session = createPGliteSession(pglite);
  return {
    ...session,
    prisma,
    mode: 'embedded',
    config,
    transaction: (work) => pglite.transaction((transaction) => work(createPGliteSession(transaction))),
    withConnection: (work) => work(session),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      onClose();
    },
  };
}

async function openPostgresDatabase(url: string, config: DatabaseConfig): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its server must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const withConnection = async <T>(work: (connection: SqlSession) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await work(createPgSession(client));
    } finally {
      client.release();
    }
  };
  return {
    ...createPgSession(pool),
    prisma,
    mode: 'postgres',
    config,
    transaction: (work) => withConnection((connection) => runInTransaction(connection, work)),
    withConnection,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** BEGIN/COMMIT around `work` on a connection that is not shared. */
export async function runInTransaction<T>(connection: SqlSession, work: (transaction: SqlSession) => Promise<T>): Promise<T> {
  await connection.executeScript('BEGIN');
  try {
    const result = await work(connection);
    await connection.executeScript('COMMIT');
    return result;
  } catch (error) {
    await connection.executeScript('ROLLBACK');
    throw error;
  }
}

export type { SqlSession } from './sql-session';
