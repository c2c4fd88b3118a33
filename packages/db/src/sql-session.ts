import type { PGlite, Transaction } from '@electric-sql/pglite';
import type pg from 'pg';

/**
 * Raw SQL on one connection or transaction: bulk inserts (multi-row VALUES,
 * UNNEST), `FOR UPDATE SKIP LOCKED` queues, advisory locks. Parameters are
 * positional ($1, $2, ...).
 */
export interface SqlSession {
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs one statement and returns the number of rows it affected. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs a script of several statements without parameters (migrations). */
  executeScript(sql: string): Promise<void>;
}

type PGliteQueryable = Pick<PGlite, 'query' | 'exec'> | Transaction;

/** Wraps PGlite (or one of its transactions) as a SqlSession. */
export function createPGliteSession(client: PGliteQueryable): SqlSession {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query<T>(sql, [...params]);
      return result.rows;
    },
    async execute(sql, params = []) {
      const result = await client.query(sql, [...params]);
      return result.affectedRows ?? 0;
    },
    async executeScript(sql) {
      await client.exec(sql);
    },
  };
}

type PgQueryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

/** Wraps a pg Pool or a checked-out client as a SqlSession. */
export function createPgSession(client: PgQueryable): SqlSession {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, [...params]);
      return result.rows as T[];
    },
    async execute(sql, params = []) {
      const result = await client.query(sql, [...params]);
      return result.rowCount ?? 0;
    },
    async executeScript(sql) {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await client.query(sql);
    },
  };
}
