import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMigrationsDirectory, schemaPath } from '../paths';
import { createMigration } from './create-migration';

const scratch = mkdtempSync(path.join(tmpdir(), 'opspilot-create-migration-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('createMigration (WASM schema engine)', () => {
  it('reports no changes when the schema matches the committed migrations', async () => {
    const migrationsDirectory = path.join(scratch, 'unchanged');
    cpSync(defaultMigrationsDirectory, migrationsDirectory, { recursive: true });
    const result = await createMigration({ name: 'nothing', migrationsDirectory, now: new Date('2030-01-02T03:04:05Z') });
    expect(result).toEqual({ created: false });
    expect(readdirSync(migrationsDirectory).some((name) => name.endsWith('_nothing'))).toBe(false);
  });

  it('writes the SQL for a schema change into <timestamp>_<name>/migration.sql', async () => {
    const migrationsDirectory = path.join(scratch, 'changed');
    cpSync(defaultMigrationsDirectory, migrationsDirectory, { recursive: true });
    const changedSchema = path.join(scratch, 'schema.prisma');
    const extraModel = '\nmodel ScratchNote {\n  id   String @id\n  body String\n  @@index([body])\n}\n';
    writeFileSync(changedSchema, readFileSync(schemaPath, 'utf8') + extraModel);
    const result = await createMigration({ name: 'Add scratch notes', migrationsDirectory, schemaPath: changedSchema, now: new Date('2030-01-02T03:04:05Z') });
    expect(result.created).toBe(true);
    if (!result.created) return;
    expect(path.basename(result.directory)).toBe('20300102030405_add_scratch_notes');
    const written = readFileSync(path.join(result.directory, 'migration.sql'), 'utf8');
    expect(written).toBe(result.sql);
    expect(written).toContain('CREATE TABLE "ScratchNote"');
    expect(written).toContain('CREATE INDEX "ScratchNote_body_idx"');
    // Only the change: nothing the earlier migrations already created.
    expect(written).not.toContain('CREATE TABLE "Workspace"');
    expect(existsSync(path.join(migrationsDirectory, 'migration_lock.toml'))).toBe(true);
  });
});
