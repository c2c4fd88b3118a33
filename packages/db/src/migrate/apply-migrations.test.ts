import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../client';
import { inMemoryDataDir } from '../config';
import { defaultMigrationsDirectory } from '../paths';
import { createPostgresTestDatabase, postgresAvailable, type TestDatabase } from '../testing/test-databases';
import { readSchemaSnapshot } from '../testing/schema-snapshot';
import { applyMigrations } from './apply-migrations';
import { readMigrationFiles } from './migration-files';

const committed = readMigrationFiles(defaultMigrationsDirectory);
const brokenName = '29991231000000_broken';

/** The committed migrations plus one that creates a table, alters another, then fails. */
function createBrokenMigrationsDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'opspilot-migrations-'));
  cpSync(defaultMigrationsDirectory, directory, { recursive: true });
  mkdirSync(path.join(directory, brokenName));
  writeFileSync(
    path.join(directory, brokenName, 'migration.sql'),
    'CREATE TABLE "ShouldVanish" ("id" TEXT PRIMARY KEY);\nALTER TABLE "Workspace" ADD COLUMN "shouldVanish" INTEGER;\nSELECT * FROM "no_such_table";\n',
  );
  return directory;
}

const brokenDirectory = createBrokenMigrationsDirectory();
afterAll(() => rmSync(brokenDirectory, { recursive: true, force: true }));

const engines: [string, () => Promise<TestDatabase>][] = [
  ['PGlite', () => openDatabase({ mode: 'embedded', dataDir: inMemoryDataDir })],
];
if (postgresAvailable() || process.env.CI === 'true') engines.push(['PostgreSQL', () => createPostgresTestDatabase()]);

describe.each(engines)('applyMigrations on %s', (_engine, createDatabase) => {
  it('applies every committed migration once, records it like Prisma, and is a no-op the second time', async () => {
    const database = await createDatabase();
    try {
      // createPostgresTestDatabase already migrated; PGlite starts empty.
      const first = await applyMigrations(database);
      expect(first.total).toBe(committed.length);
      const second = await applyMigrations(database);
      expect(second).toEqual({ applied: [], total: committed.length });
      const history = await database.query<{ migration_name: string; checksum: string; applied_steps_count: number; finished_at: Date | null }>(
        'SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(history.map((row) => [row.migration_name, row.checksum, row.applied_steps_count])).toEqual(
        committed.map((migration) => [migration.name, migration.checksum, 1]),
      );
      expect(history.every((row) => row.finished_at instanceof Date)).toBe(true);
    } finally {
      await database.close();
    }
  });

  it('rolls a failing migration back completely and names it', async () => {
    const database = await createDatabase();
    try {
      await applyMigrations(database);
      const schemaBefore = await readSchemaSnapshot(database);
      const historyBefore = await database.query('SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
      await expect(applyMigrations(database, { migrationsDirectory: brokenDirectory })).rejects.toThrow(
        new RegExp(`Migration ${brokenName} failed and was rolled back.*no_such_table`),
      );
      expect(await readSchemaSnapshot(database)).toEqual(schemaBefore);
      expect(await database.query('SELECT * FROM "_prisma_migrations" ORDER BY migration_name')).toEqual(historyBefore);
      expect(schemaBefore.columns.some((column) => column.includes('ShouldVanish') || column.includes('shouldVanish'))).toBe(false);
    } finally {
      await database.close();
    }
  });

  it('serialises concurrent boots: each migration is applied exactly once', async () => {
    const database = await createDatabase();
    try {
      await database.executeScript('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      const results = await Promise.all([applyMigrations(database), applyMigrations(database), applyMigrations(database)]);
      expect(results.flatMap((result) => result.applied).sort()).toEqual(committed.map((migration) => migration.name));
      const rows = await database.query<{ count: string }>('SELECT count(*)::text AS count FROM "_prisma_migrations"');
      expect(rows[0]?.count).toBe(String(committed.length));
    } finally {
      await database.close();
    }
  });
});
