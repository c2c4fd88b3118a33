import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A throwaway PostgreSQL cluster started from the local binaries. */
export interface PostgresServer {
  /** Superuser URL of the `postgres` database, e.g. postgres://postgres@127.0.0.1:54012/postgres. */
  url: string;
  port: number;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

const debianRoot = '/usr/lib/postgresql';

/** PG_BIN_DIR, else the newest `/usr/lib/postgresql/<version>/bin`; undefined when none has initdb. */
export function findPostgresBinaries(environment: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates: string[] = [];
  if (environment.PG_BIN_DIR) candidates.push(environment.PG_BIN_DIR);
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((name) => /^\d+$/.test(name))
      .sort((left, right) => Number(right) - Number(left));
    candidates.push(...versions.map((version) => path.join(debianRoot, version, 'bin')));
  }
  return candidates.find((directory) => existsSync(path.join(directory, 'initdb')) && existsSync(path.join(directory, 'pg_ctl')));
}

/** How to install PostgreSQL, for skip warnings and CI failures. */
export const missingPostgresMessage =
  'PostgreSQL binaries not found (looked in PG_BIN_DIR and /usr/lib/postgresql/<version>/bin). Install them with `apt-get install -y postgresql` or set PG_BIN_DIR.';

/**
 * Starts PostgreSQL on a free 127.0.0.1 port with a fresh cluster in a temp
 * directory (trust auth, fsync off: test data only). initdb refuses to run
 * as root, so as root the cluster belongs to the `postgres` user.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const binaries = findPostgresBinaries();
  if (!binaries) throw new Error(missingPostgresMessage);
  const directory = mkdtempSync(path.join(tmpdir(), 'opspilot-pg-'));
  const runAs = resolveRunAsUser(directory);
  const dataDirectory = path.join(directory, 'data');
  const port = await findFreePort();
  try {
    runCommand(runAs, path.join(binaries, 'initdb'), ['-D', dataDirectory, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '-N']);
    const serverOptions = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    runCommand(runAs, path.join(binaries, 'pg_ctl'), ['-D', dataDirectory, '-o', serverOptions, '-l', path.join(directory, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (error) {
    const log = readLogTail(path.join(directory, 'server.log'));
    rmSync(directory, { recursive: true, force: true });
    throw new Error(`PostgreSQL test server did not start: ${error instanceof Error ? error.message : String(error)}${log}`, { cause: error });
  }
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      spawnSync(...commandLine(runAs, path.join(binaries, 'pg_ctl'), ['-D', dataDirectory, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function resolveRunAsUser(directory: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(directory, uid, gid);
  return 'postgres';
}

function commandLine(runAs: string | undefined, command: string, args: string[]): [string, string[]] {
  return runAs ? ['runuser', ['-u', runAs, '--', command, ...args]] : [command, args];
}

function runCommand(runAs: string | undefined, command: string, args: string[]): void {
  const [file, fileArgs] = commandLine(runAs, command, args);
  const result = spawnSync(file, fileArgs, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} exited with ${String(result.status)}: ${(result.stderr || result.stdout || String(result.error)).trim()}`);
  }
}

function readLogTail(logPath: string): string {
  if (!existsSync(logPath)) return '';
  return `\n${readFileSync(logPath, 'utf8').split('\n').slice(-15).join('\n')}`;
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
