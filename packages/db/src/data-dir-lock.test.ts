import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client';

const scratch = mkdtempSync(path.join(tmpdir(), 'opspilot-lock-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('embedded data directory lock', () => {
  it('refuses a data directory another live process holds, naming OPSPILOT_DATA_DIR', async () => {
    const dataDir = path.join(scratch, 'held');
    mkdirSync(dataDir);
    // The parent process (vitest's main process) is alive and is not us.
    writeFileSync(path.join(dataDir, 'pglite.pid'), String(process.ppid));
    await expect(openDatabase({ mode: 'embedded', dataDir })).rejects.toThrow(/OPSPILOT_DATA_DIR ".*held" is in use by process \d+/);
    expect(existsSync(path.join(dataDir, 'pglite'))).toBe(false);
  });

  it('takes over a stale lock, holds it while open and releases it on close', async () => {
    const dataDir = path.join(scratch, 'stale');
    mkdirSync(dataDir);
    const lockPath = path.join(dataDir, 'pglite.pid');
    writeFileSync(lockPath, '4194303'); // above Linux's pid_max: never alive
    const database = await openDatabase({ mode: 'embedded', dataDir });
    expect(readFileSync(lockPath, 'utf8')).toBe(String(process.pid));
    expect(await database.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await database.close();
    expect(existsSync(lockPath)).toBe(false);
  });
});
