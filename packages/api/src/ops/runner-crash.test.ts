import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '@opspilot/core/ports';
import { createRunnerLeaseStore } from '@opspilot/db';
import { createPostgresTestDatabase, findPostgresBinaries, startPostgresServer, type PostgresServer, type TestDatabase } from '@opspilot/db/testing';
import { createRuntime, type Runtime } from '../runtime';
import { readHealth } from '../server';
import { backgroundRunnerLease } from './background-runner';

const anIsoTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/) as unknown;
const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));
const postgresMissing = !findPostgresBinaries() && !process.env.TEST_POSTGRES_URL;

describe.skipIf(postgresMissing && process.env.CI !== 'true')('a background runner leader killed with -9', () => {
  let server: PostgresServer | undefined;
  let database: TestDatabase & { url: string };
  let runtime: Runtime | undefined;
  beforeAll(async () => {
    const external = process.env.TEST_POSTGRES_URL;
    server = external ? undefined : await startPostgresServer();
    database = await createPostgresTestDatabase(external ?? server);
  }, 180_000);
  afterAll(async () => {
    await runtime?.close();
    await database?.close();
    await server?.stop();
  });

  it('loses the role to a stand-by once its lease expires', async () => {
    const { DATABASE_URL: _url, OPSPILOT_DATA_DIR: _dir, ...rest } = process.env;
    const env = { ...rest, NODE_ENV: 'test' as const, DATABASE_URL: database.url, OPSPILOT_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') };
    const leaseTtlMs = 2_000;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/ops/runner-child.fixture.ts', String(leaseTtlMs)], { cwd: packageDirectory, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    try {
      await vi.waitFor(() => expect(output).toMatch(/started leader web-\d+-/), { timeout: 90_000, interval: 100 });
      const childHolder = /started leader (\S+)/.exec(output)?.[1];

      runtime = await createRuntime({ env, seedWhenEmpty: false, logger: silentLogger, printDemoCredentials: false, runnerTimings: { leaseTtlMs, renewEveryMs: 100 } });
      expect(await runtime.runner.start()).toBe('standby');
      const leases = createRunnerLeaseStore(runtime.db);
      expect((await leases.read(backgroundRunnerLease))?.holderId).toBe(childHolder);
      expect((await readHealth(runtime)).detection).toEqual({ role: 'standby', lastRunAt: anIsoTime });

      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      // No release: only the lease's expiry lets the stand-by in.
      const standby = runtime;
      await vi.waitFor(async () => expect((await readHealth(standby)).detection.role).toBe('leader'), { timeout: 30_000, interval: 100 });
      const lease = await leases.read(backgroundRunnerLease);
      expect(lease?.holderId).toBe(runtime.runner.holderId);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 180_000);
});
