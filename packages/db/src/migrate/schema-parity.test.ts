import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, describePostgres, type TestDatabase } from '../testing/test-databases';
import { readSchemaSnapshot } from '../testing/schema-snapshot';

describePostgres('the committed migrations', () => {
  let embedded: TestDatabase;
  let postgres: TestDatabase;
  beforeAll(async () => {
    [embedded, postgres] = await Promise.all([createEmbeddedTestDatabase(), createPostgresTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([embedded.close(), postgres.close()]);
  });

  it('give the same schema on PGlite and PostgreSQL', async () => {
    const [onPGlite, onPostgres] = await Promise.all([readSchemaSnapshot(embedded), readSchemaSnapshot(postgres)]);
    // Guard against comparing two empty schemas.
    expect(onPGlite.columns.length).toBeGreaterThan(100);
    expect(onPGlite.indexes.length).toBeGreaterThan(20);
    expect(onPGlite.constraints.some((constraint) => constraint.includes('FOREIGN KEY'))).toBe(true);
    expect(onPGlite.enums.length).toBeGreaterThan(5);
    expect(onPGlite.columns).toEqual(onPostgres.columns);
    expect(onPGlite.constraints).toEqual(onPostgres.constraints);
    expect(onPGlite.indexes).toEqual(onPostgres.indexes);
    expect(onPGlite.enums).toEqual(onPostgres.enums);
  });

  it('would notice a difference in a default, an index or a constraint', async () => {
    await postgres.executeScript(`ALTER TABLE "Workspace" ALTER COLUMN "timezone" SET DEFAULT 'Europe/Paris';
      CREATE INDEX "Workspace_name_idx" ON "Workspace" ("name");
      ALTER TABLE "Workspace" ADD CONSTRAINT "Workspace_name_check" CHECK (length("name") > 0);`);
    const [onPGlite, onPostgres] = await Promise.all([readSchemaSnapshot(embedded), readSchemaSnapshot(postgres)]);
    expect(onPGlite.columns).not.toEqual(onPostgres.columns);
    expect(onPGlite.indexes).not.toEqual(onPostgres.indexes);
    expect(onPGlite.constraints).not.toEqual(onPostgres.constraints);
  });
});
