import type { Database } from '../client';
import { applyMigrations, type ApplyMigrationsOptions, type ApplyMigrationsResult } from './apply-migrations';

/**
 * Drops the `public` schema (tables, enums, `_prisma_migrations`) and applies
 * every migration again, leaving an empty, current database.
 */
export async function resetDatabase(database: Database, options: ApplyMigrationsOptions = {}): Promise<ApplyMigrationsResult> {
  await database.executeScript('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
  return applyMigrations(database, options);
}
