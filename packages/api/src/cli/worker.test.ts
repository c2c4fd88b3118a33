import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '@opspilot/core/ports';
import { createPostgresTestDatabase, describePostgres, type TestDatabase } from '@opspilot/db/testing';
import { createRuntime, type Runtime } from '../runtime';
import { streamRunEvents } from '../workflows/run-event-stream';
import { readConcurrency } from '../workflows/standalone-worker';

const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));

interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function spawnWorker(env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/worker.ts'], { cwd: packageDirectory, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

function baseEnv(): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, OPSPILOT_DATA_DIR: _dir, ...rest } = process.env;
  return { ...rest, NODE_ENV: 'test' };
}

describe('pnpm worker', () => {
  it('reads OPSPILOT_WORKER_CONCURRENCY within 1..64, else 4', () => {
    expect(readConcurrency({ OPSPILOT_WORKER_CONCURRENCY: '8' })).toBe(8);
    expect(readConcurrency({ OPSPILOT_WORKER_CONCURRENCY: '0' })).toBe(4);
    expect(readConcurrency({ OPSPILOT_WORKER_CONCURRENCY: 'many' })).toBe(4);
    expect(readConcurrency({})).toBe(4);
  });

  it('refuses the embedded database with a clear message and exit code 1', async () => {
    const child = spawnWorker({ ...baseEnv(), OPSPILOT_DATA_DIR: 'memory://' });
    expect(await child.exited).toBe(1);
    expect(child.output()).toContain('pnpm worker needs DATABASE_URL');
  }, 60_000);
});

describePostgres('pnpm worker on PostgreSQL', () => {
  let database: TestDatabase & { url: string };
  let runtime: Runtime;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    database = await createPostgresTestDatabase();
    env = { ...baseEnv(), DATABASE_URL: database.url, OPSPILOT_SECRET_KEY: randomBytes(32).toString('base64') };
    // The web side without a worker: only the standalone process can run the steps.
    runtime = await createRuntime({ env, seedWhenEmpty: false, logger: silentLogger, printDemoCredentials: false, startWorker: false });
  }, 180_000);
  afterAll(async () => {
    await runtime?.close();
    await database?.close();
  });

  it('runs the steps of a run started elsewhere, then stops gracefully on SIGTERM', async () => {
    const workspace = await runtime.db.prisma.workspace.create({ data: { name: 'Worker Co', slug: `worker-co-${Date.now()}` } });
    const { workflow } = await runtime.workflows.createWorkflow({
      workspaceId: workspace.id, key: 'tell-ops', name: 'Tell ops',
      definition: {
        nodes: [
          { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
          { id: 'tell', kind: 'action', tool: 'notify', input: { channel: 'ops', message: 'from the standalone worker' } },
        ],
        edges: [{ from: 'start', to: 'tell' }],
      },
    });
    const child = spawnWorker(env);
    await vi.waitFor(() => expect(child.output()).toContain('Workflow worker started'), { timeout: 90_000, interval: 200 });
    // A live workspace stream in this process hears of the child's progress only through the PostgreSQL event bus.
    const controller = new AbortController();
    const stream = streamRunEvents({ engine: runtime.workflows, eventBus: runtime.eventBus, workspaceId: workspace.id, signal: controller.signal });
    const heard = (async () => {
      const types: string[] = [];
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'run-end') break;
      }
      return types;
    })();
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the stream subscribe before the run starts
    const run = await runtime.workflows.startRun({ workspaceId: workspace.id, workflowId: workflow.id });
    expect(await heard).toEqual(['run-start', 'step-start', 'step-end', 'step-start', 'step-end', 'run-end']);
    controller.abort();
    await vi.waitFor(async () => expect((await runtime.workflows.getRun(workspace.id, run.id)).run.status).toBe('succeeded'), { timeout: 30_000, interval: 200 });
    // step-start names the worker that claimed the step: the child process, not this one.
    const started = (await runtime.workflows.listRunEvents(workspace.id, run.id)).filter((event) => event.type === 'step-start');
    expect(started.map((event) => String(event.payload.workerId))).toEqual([expect.stringMatching(/^standalone-\d+-/), expect.stringMatching(/^standalone-\d+-/)]);
    expect(await runtime.db.prisma.sandboxOutbox.count({ where: { workspaceId: workspace.id, idempotencyKey: { contains: run.id } } })).toBe(1);
    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(child.output()).toContain('Workflow worker stopping');
    expect(child.output()).toContain('Workflow worker stopped');
  }, 180_000);

  it('a closed runtime leaves no LISTEN connection behind (nothing reconnects once its database is dropped)', async () => {
    const listening = async () => (await database.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM pg_stat_activity WHERE query ILIKE 'LISTEN opspilot_events%' AND datname = current_database()`,
    ))[0]?.count ?? 0;
    const before = await listening();
    const other = await createRuntime({ env, seedWhenEmpty: false, logger: silentLogger, printDemoCredentials: false, startWorker: false });
    try {
      await other.eventBus.subscribe('some-topic', () => undefined);
      expect(await listening()).toBe(before + 1);
    } finally {
      await other.close();
    }
    await vi.waitFor(async () => expect(await listening()).toBe(before), { timeout: 10_000, interval: 50 });
  }, 120_000);
});
