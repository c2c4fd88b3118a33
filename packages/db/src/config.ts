import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultDataDirectory } from './paths';

/** A PGlite data directory, or `memory://` for a throwaway in-memory database. */
export interface EmbeddedDatabaseConfig {
  mode: 'embedded';
  dataDir: string;
}

export interface PostgresDatabaseConfig {
  mode: 'postgres';
  url: string;
}

export type DatabaseConfig = EmbeddedDatabaseConfig | PostgresDatabaseConfig;
export type DatabaseMode = DatabaseConfig['mode'];

/** The data directory value that selects an in-memory PGlite (tests, throwaway work). */
export const inMemoryDataDir = 'memory://';

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads the database configuration from the environment. DATABASE_URL selects
 * PostgreSQL; without it every process uses embedded PGlite under
 * OPSPILOT_DATA_DIR (default `<repo>/.data`). Invalid values throw an Error
 * whose message names the variable, so boot stops with one clear line.
 */
export function loadDatabaseConfig(environment: Environment = process.env): DatabaseConfig {
  const url = environment.DATABASE_URL?.trim();
  if (url) return { mode: 'postgres', url: validateDatabaseUrl(url) };
  const configured = environment.OPSPILOT_DATA_DIR?.trim();
  if (configured === inMemoryDataDir) return { mode: 'embedded', dataDir: inMemoryDataDir };
  const dataDir = configured ? path.resolve(configured) : defaultDataDirectory;
  ensureWritableDirectory(dataDir);
  return { mode: 'embedded', dataDir };
}

function validateDatabaseUrl(value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`DATABASE_URL is not a valid URL (expected postgres://user:password@host:5432/database).`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(
      `DATABASE_URL must start with postgres:// or postgresql:// (got "${parsed.protocol}//"); unset it to use the embedded database.`,
    );
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) {
    throw new Error('DATABASE_URL names no host (expected postgres://user:password@host:5432/database).');
  }
  return value;
}

function ensureWritableDirectory(directory: string): void {
  try {
    createDirectoryTree(directory);
  } catch (error) {
    throw new Error(`OPSPILOT_DATA_DIR "${directory}" cannot be created: ${describeError(error)}`);
  }
  // A probe file rather than access(): root passes access checks on read-only mounts.
  const probe = path.join(directory, `.write-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (error) {
    throw new Error(`OPSPILOT_DATA_DIR "${directory}" is not writable: ${describeError(error)}`);
  }
}

/**
 * mkdir -p by hand: Node 20's `mkdirSync(..., { recursive: true })` spins
 * forever on paths under /proc, and a bad OPSPILOT_DATA_DIR must fail fast.
 */
function createDirectoryTree(directory: string): void {
  const missing: string[] = [];
  let current = directory;
  while (!existsSync(current)) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const entry of missing) mkdirSync(entry);
}

function describeError(error: unknown): string {
  if (error instanceof Error && 'code' in error) return `${String(error.code)} ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
