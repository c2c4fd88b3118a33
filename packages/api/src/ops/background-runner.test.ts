import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '@opspilot/core/ports';
import { createChatRepository, createRunnerLeaseStore, openDatabase, type Database } from '@opspilot/db';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, describePostgres, type TestDatabase } from '@opspilot/db/testing';
import { createRuntime, type Runtime } from '../runtime';
import { readHealth } from '../server';
import { backgroundRunnerLease, createBackgroundRunner } from './background-runner';

const hour = 3_600_000;
const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));
const anIsoTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/) as unknown;

describe('the background runner of an embedded (PGlite) process', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await createRuntime({
      env: { NODE_ENV: 'test', OPSPILOT_DATA_DIR: 'memory://' }, seedWhenEmpty: false, logger: silentLogger, printDemoCredentials: false,
      runnerTimings: { sweepEveryMs: 50 },
    });
  }, 120_000);
  afterAll(async () => runtime?.close());

  it('is off until started, then leads even over a killed predecessor\'s lease, with its first detection pass done when start() resolves', async () => {
    expect((await readHealth(runtime)).detection).toEqual({ role: 'off', lastRunAt: null });
    const leases = createRunnerLeaseStore(runtime.db);
    // A process killed with -9 left a live lease; on the embedded database no other process can exist.
    await leases.acquireOrRenew({ name: backgroundRunnerLease, holderId: 'web-killed', ttlMs: hour });
    expect(await runtime.runner.start()).toBe('leader');
    const health = await readHealth(runtime);
    expect(health).toMatchObject({ status: 'ok', database: { mode: 'embedded', ok: true }, detection: { role: 'leader', lastRunAt: anIsoTime } });
    const lease = await leases.read(backgroundRunnerLease);
    expect(lease?.holderId).toBe(runtime.runner.holderId);
    expect(lease?.lastRunAt).toBeInstanceOf(Date);
  });

  it('sweeps a chat turn whose process died', async () => {
    const workspace = await runtime.db.prisma.workspace.create({ data: { name: 'Sweep Co', slug: `sweep-co-${Date.now()}` } });
    const chats = createChatRepository(runtime.db);
    const session = await chats.createSession({ workspaceId: workspace.id, title: 'died', createdById: null });
    const tenMinutesAgo = new Date(Date.now() - 600_000);
    await chats.appendEvent({ workspaceId: workspace.id, sessionId: session.id, body: { type: 'agent-status', agent: 'planner', status: 'started' }, at: tenMinutesAgo });
    await vi.waitFor(async () => expect((await chats.listEventsAfter(session.id, 1, 10)).map((event) => event.type === 'error' && event.code)).toEqual(['TURN_ABANDONED']), { timeout: 10_000, interval: 50 });
  });
});

describe('stopping the background runner', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createEmbeddedTestDatabase();
  }, 120_000);
  afterAll(async () => db?.close());

  it('hands the role over at once, but resolves only after the job in flight, and starts no job after', async () => {
    const leases = createRunnerLeaseStore(db);
    let sweeps = 0;
    let finishSweep = () => undefined as void;
    let sweepStarted = () => undefined as void;
    let released = () => undefined as void;
    const sweeping = new Promise<void>((resolve) => (sweepStarted = resolve));
    const leaseReleased = new Promise<void>((resolve) => (released = resolve));
    const runner = createBackgroundRunner({
      leases: {
        ...leases,
        release: async (input) => {
          const result = await leases.release(input);
          released();
          return result;
        },
      },
      holderId: 'web-stopping', embedded: true, logger: silentLogger,
      timings: { sweepEveryMs: 10, maintenanceEveryMs: hour, detectionEveryMs: hour, housekeepingEveryMs: hour },
      jobs: {
        detect: async () => undefined,
        maintainWorkflows: async () => undefined,
        sweepTurns: () => {
          sweeps += 1;
          sweepStarted();
          return new Promise<void>((resolve) => (finishSweep = resolve));
        },
      },
    });
    expect(await runner.start()).toBe('leader');
    await sweeping;
    let stopResolved = false;
    const stopped = runner.stop().then(() => {
      stopResolved = true;
    });
    await leaseReleased;
    await new Promise((resolve) => setImmediate(resolve));
    // The caller closes the database once stop() resolves: not while the sweep still uses it.
    expect(stopResolved).toBe(false);
    finishSweep();
    await stopped;
    expect(sweeps).toBe(1);
    expect(runner.status().role).toBe('off');
  });
});

describePostgres('the background runner on PostgreSQL', () => {
  let database: TestDatabase & { url: string };
  let second: Database;
  beforeAll(async () => {
    database = await createPostgresTestDatabase();
    second = await openDatabase({ mode: 'postgres', url: database.url });
  }, 180_000);
  afterAll(async () => {
    await second?.close();
    await database?.close();
  });

  function countingRunner(db: Database, holderId: string) {
    const calls = { detect: 0, sweep: 0, maintain: 0 };
    const runner = createBackgroundRunner({
      leases: createRunnerLeaseStore(db), holderId, embedded: false, logger: silentLogger,
      timings: { leaseTtlMs: 1_500, renewEveryMs: 100, detectionEveryMs: hour, sweepEveryMs: 50, maintenanceEveryMs: 50 },
      jobs: {
        detect: async () => void (calls.detect += 1),
        sweepTurns: async () => void (calls.sweep += 1),
        maintainWorkflows: async () => void (calls.maintain += 1),
      },
    });
    return { runner, calls };
  }

  it('two processes on one database: exactly one leads and runs the jobs; when it stops the other takes over', async () => {
    const one = countingRunner(database, 'web-one');
    const two = countingRunner(second, 'web-two');
    const roles = await Promise.all([one.runner.start(), two.runner.start()]);
    expect([...roles].sort()).toEqual(['leader', 'standby']);
    const [leader, standby] = roles[0] === 'leader' ? [one, two] : [two, one];
    expect(leader.calls.detect).toBe(1);
    await vi.waitFor(() => expect(leader.calls.maintain).toBeGreaterThan(2), { timeout: 10_000, interval: 20 });
    expect(leader.calls.sweep).toBeGreaterThan(0);
    // Many renewals later the roles are unchanged and the stand-by has run nothing.
    expect([leader.runner.status().role, standby.runner.status().role]).toEqual(['leader', 'standby']);
    expect(standby.calls).toEqual({ detect: 0, sweep: 0, maintain: 0 });
    expect(standby.runner.status().lastRunAt).toEqual(anIsoTime);

    await leader.runner.stop();
    await vi.waitFor(() => expect(standby.runner.status().role).toBe('leader'), { timeout: 10_000, interval: 20 });
    expect(leader.runner.status().role).toBe('off');
    await vi.waitFor(() => expect(standby.calls.detect).toBe(1), { timeout: 10_000, interval: 20 });
    const maintainedBefore = leader.calls.maintain;
    await vi.waitFor(() => expect(standby.calls.maintain).toBeGreaterThan(2), { timeout: 10_000, interval: 20 });
    expect(leader.calls.maintain).toBe(maintainedBefore);
    await standby.runner.stop();
  });

  it('a leader that loses its database steps down within its lease, and a stand-by takes over', async () => {
    const doomedDb = await openDatabase({ mode: 'postgres', url: database.url });
    const doomed = countingRunner(doomedDb, 'web-doomed');
    const healthy = countingRunner(second, 'web-healthy');
    await database.execute(`DELETE FROM "RunnerLease"`);
    expect(await doomed.runner.start()).toBe('leader');
    expect(await healthy.runner.start()).toBe('standby');
    await doomedDb.close(); // every renewal fails from now on
    await vi.waitFor(() => expect(doomed.runner.status().role).toBe('standby'), { timeout: 10_000, interval: 20 });
    await vi.waitFor(() => expect(healthy.runner.status().role).toBe('leader'), { timeout: 10_000, interval: 20 });
    // The deposed leader's jobs stopped with its role.
    const maintained = doomed.calls.maintain;
    await vi.waitFor(() => expect(healthy.calls.maintain).toBeGreaterThan(2), { timeout: 10_000, interval: 20 });
    expect(doomed.calls.maintain).toBe(maintained);
    await healthy.runner.stop();
    await doomed.runner.stop();
  });

  it('two runtimes: only the leader runs detection, /health names one leader and one stand-by, closing the leader hands over', async () => {
    const env = { NODE_ENV: 'test' as const, DATABASE_URL: database.url, OPSPILOT_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };
    await database.prisma.workspace.create({ data: { name: 'Two Runtimes Co', slug: `two-runtimes-${Date.now()}` } });
    const detectionsBy: number[] = [0, 0];
    const boot = (index: number) => createRuntime({
      env, seedWhenEmpty: false, printDemoCredentials: false, runnerTimings: { leaseTtlMs: 2_000, renewEveryMs: 100 },
      logger: { ...silentLogger, info: (message) => void (message === 'Signal detection finished' && (detectionsBy[index] = (detectionsBy[index] ?? 0) + 1)) },
    });
    const runtimes = [await boot(0), await boot(1)];
    let survivor: Runtime | undefined;
    try {
      await Promise.all(runtimes.map((runtime) => runtime.runner.start()));
      const roles = await Promise.all(runtimes.map(async (runtime) => (await readHealth(runtime)).detection.role));
      expect([...roles].sort()).toEqual(['leader', 'standby']);
      const leaderIndex = roles.indexOf('leader');
      // One pass per workspace, all in the leader; the stand-by scanned nothing.
      expect(detectionsBy[leaderIndex]).toBeGreaterThan(0);
      expect(detectionsBy[1 - leaderIndex]).toBe(0);
      survivor = runtimes[1 - leaderIndex]!;
      await runtimes[leaderIndex]!.close();
      await vi.waitFor(async () => expect((await readHealth(survivor)).detection).toEqual({ role: 'leader', lastRunAt: anIsoTime }), { timeout: 15_000, interval: 50 });
      expect((await createRunnerLeaseStore(survivor.db).read(backgroundRunnerLease))?.holderId).toBe(survivor.runner.holderId);
      await vi.waitFor(() => expect(detectionsBy[1 - leaderIndex]).toBeGreaterThan(0), { timeout: 15_000, interval: 50 });
    } finally {
      await survivor?.close();
    }
  }, 120_000);

  it('a leader killed with -9 loses the role to a stand-by once its lease expires', async () => {
    await database.execute(`DELETE FROM "RunnerLease"`);
    const { DATABASE_URL: _url, OPSPILOT_DATA_DIR: _dir, ...rest } = process.env;
    const env = { ...rest, NODE_ENV: 'test' as const, DATABASE_URL: database.url, OPSPILOT_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') };
    const leaseTtlMs = 2_000;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/ops/runner-child.fixture.ts', String(leaseTtlMs)], { cwd: packageDirectory, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    let standby: Runtime | undefined;
    try {
      await vi.waitFor(() => expect(output).toMatch(/started leader web-\d+-/), { timeout: 90_000, interval: 100 });
      const childHolder = /started leader (\S+)/.exec(output)?.[1];
      standby = await createRuntime({ env, seedWhenEmpty: false, logger: silentLogger, printDemoCredentials: false, runnerTimings: { leaseTtlMs, renewEveryMs: 100 } });
      const runtime = standby;
      expect(await runtime.runner.start()).toBe('standby');
      const leases = createRunnerLeaseStore(runtime.db);
      expect((await leases.read(backgroundRunnerLease))?.holderId).toBe(childHolder);
      expect((await readHealth(runtime)).detection).toEqual({ role: 'standby', lastRunAt: anIsoTime });

      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      // No release happened: only the lease's expiry lets the stand-by in.
      await vi.waitFor(async () => expect((await readHealth(runtime)).detection.role).toBe('leader'), { timeout: 30_000, interval: 100 });
      expect((await leases.read(backgroundRunnerLease))?.holderId).toBe(runtime.runner.holderId);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await standby?.close();
    }
  }, 180_000);
});
