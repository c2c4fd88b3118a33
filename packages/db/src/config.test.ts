import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inMemoryDataDir, loadDatabaseConfig } from './config';
import { defaultDataDirectory } from './paths';

const scratch = mkdtempSync(path.join(tmpdir(), 'opspilot-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('loadDatabaseConfig', () => {
  it('defaults to embedded PGlite under <repo>/.data', () => {
    expect(loadDatabaseConfig({})).toEqual({ mode: 'embedded', dataDir: defaultDataDirectory });
    expect(defaultDataDirectory.endsWith(`${path.sep}.data`)).toBe(true);
  });

  it('selects PostgreSQL for postgres:// and postgresql:// URLs', () => {
    const url = 'postgresql://app:secret@db.internal:5432/opspilot';
    expect(loadDatabaseConfig({ DATABASE_URL: url })).toEqual({ mode: 'postgres', url });
    expect(loadDatabaseConfig({ DATABASE_URL: 'postgres://localhost/opspilot' }).mode).toBe('postgres');
  });

  it.each([
    ['mysql://root@localhost/opspilot', /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//],
    ['not a url', /DATABASE_URL is not a valid URL/],
    ['postgres://', /DATABASE_URL names no host/],
  ])('rejects DATABASE_URL=%s naming the variable', (value, message) => {
    expect(() => loadDatabaseConfig({ DATABASE_URL: value })).toThrow(message);
  });

  it('creates a missing OPSPILOT_DATA_DIR', () => {
    const dataDir = path.join(scratch, 'nested', 'data');
    expect(loadDatabaseConfig({ OPSPILOT_DATA_DIR: dataDir })).toEqual({ mode: 'embedded', dataDir });
  });

  it('names OPSPILOT_DATA_DIR when it cannot be created', () => {
    const file = path.join(scratch, 'a-file');
    writeFileSync(file, '');
    expect(() => loadDatabaseConfig({ OPSPILOT_DATA_DIR: path.join(file, 'data') })).toThrow(/OPSPILOT_DATA_DIR ".*a-file\/data" cannot be created/);
    expect(() => loadDatabaseConfig({ OPSPILOT_DATA_DIR: '/proc/opspilot-data' })).toThrow(/OPSPILOT_DATA_DIR/);
  });

  it('accepts memory:// for a throwaway in-memory database', () => {
    expect(loadDatabaseConfig({ OPSPILOT_DATA_DIR: inMemoryDataDir })).toEqual({ mode: 'embedded', dataDir: inMemoryDataDir });
  });
});
