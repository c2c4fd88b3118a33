import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { expect, it } from 'vitest';
import { wrapPGlite } from '../client';
import { inMemoryDataDir } from '../config';
import { defaultMigrationsDirectory, schemaPath } from '../paths';
import { applyMigrations } from './apply-migrations';
import { readMigrationList } from './create-migration';
import { readMigrationFiles } from './migration-files';
import { noSchemaFilter, startSchemaEngine } from './schema-engine';

it("Prisma's own schema engine reads our migration history as complete, unedited and unfailed", async () => {
  const pglite = await PGlite.create();
  const database = wrapPGlite(pglite, { mode: 'embedded', dataDir: inMemoryDataDir });
  const engine = await startSchemaEngine(readFileSync(schemaPath, 'utf8'), new PrismaPGlite(pglite));
  try {
    await applyMigrations(database);
    const diagnosis = await engine.diagnoseMigrationHistory({
      migrationsList: readMigrationList(defaultMigrationsDirectory),
      optInToShadowDatabase: false,
      filters: noSchemaFilter,
    });
    expect(readMigrationFiles(defaultMigrationsDirectory).length).toBeGreaterThan(0);
    expect(diagnosis).toEqual({ editedMigrationNames: [], failedMigrationNames: [], hasMigrationsTable: true, history: null });
    // And it notices when a file no longer matches its recorded checksum, so the comparison above is real.
    await database.execute(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64) WHERE migration_name = (SELECT min(migration_name) FROM "_prisma_migrations")`);
    const tampered = await engine.diagnoseMigrationHistory({
      migrationsList: readMigrationList(defaultMigrationsDirectory),
      optInToShadowDatabase: false,
      filters: noSchemaFilter,
    });
    expect(tampered.editedMigrationNames).toHaveLength(1);
  } finally {
    engine.free();
    await database.close();
  }
});
