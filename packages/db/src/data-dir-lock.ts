import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite has no cross-process locking: two processes opening one data
 * directory corrupt it. A pid file turns that into a clear error. Several
 * opens inside one process (dev-server reloads) are allowed.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'pglite.pid');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => releaseLock(lockPath);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    const owner = readOwner(lockPath);
    if (owner === process.pid) return () => undefined;
    if (owner !== undefined && isProcessAlive(owner)) {
      throw new Error(
        `OPSPILOT_DATA_DIR "${dataDir}" is in use by process ${owner}: the embedded database allows one process per data directory. Stop that process, point OPSPILOT_DATA_DIR elsewhere, or set DATABASE_URL.`,
      );
    }
    rmSync(lockPath, { force: true });
  }
  throw new Error(`OPSPILOT_DATA_DIR "${dataDir}": could not take the lock file ${lockPath}.`);
}

function releaseLock(lockPath: string): void {
  if (readOwner(lockPath) === process.pid) rmSync(lockPath, { force: true });
}

function readOwner(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to another user.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EEXIST';
}
