/**
 * @opspilot/db: persistence for OpsPilot. Open a database from the
 * environment, migrate it at boot, then use `db.prisma` for typed access and
 * `db.query` / `db.execute` / `db.transaction` for raw SQL.
 *
 *   const db = await openDatabase(loadDatabaseConfig(process.env));
 *   await applyMigrations(db);
 */
export { loadDatabaseConfig, inMemoryDataDir } from './config';
export type { DatabaseConfig, DatabaseMode, EmbeddedDatabaseConfig, PostgresDatabaseConfig } from './config';
export { openDatabase, runInTransaction } from './client';
export type { Database, SqlSession } from './client';
export { applyMigrations } from './migrate/apply-migrations';
export type { ApplyMigrationsOptions, ApplyMigrationsResult } from './migrate/apply-migrations';
export { createMigration } from './migrate/create-migration';
export type { CreateMigrationOptions, CreateMigrationResult } from './migrate/create-migration';
export { readMigrationFiles } from './migrate/migration-files';
export type { MigrationFile } from './migrate/migration-files';
export { repositoryRoot, defaultMigrationsDirectory, defaultDataDirectory, schemaPath } from './paths';
// The generated Prisma client: PrismaClient, the Prisma namespace, model types and enums.
export * from './generated/prisma/client';
export { createEventBus, createInProcessEventBus, createPostgresEventBus, maximumPayloadBytes } from './event-bus';
export type { ClosableEventBus, EventBusOptions } from './event-bus';
export { resetDatabase } from './migrate/reset-database';
// Repositories (adapters of core's ports) and the demo seed, owned by their domains.
export * from './repositories';
export * from './seed';
