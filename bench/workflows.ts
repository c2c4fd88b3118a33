// Workflow engine throughput and latency: steps/s with one and two workers on
// embedded PGlite and on PostgreSQL, and the time from a step becoming ready
// (its availableAt) to its start (its step-start event), p50/p99, under load and idle.
import { randomUUID } from 'node:crypto';
import { systemClock } from '../packages/core/src/ports';
import {
  WorkflowEngine, Worker, createCompositeActionInvoker, createInternalActionInvoker, createRecordingEffectPort,
} from '../packages/core/src/workflows/index';
import type { Database } from '../packages/db/src/index';
import { createWorkflowStore } from '../packages/db/src/repositories/workflow-store';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, findPostgresBinaries, startPostgresServer } from '../packages/db/src/testing/index';
import { percentile } from './_support';

const definition = {
  nodes: [
    { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
    { id: 'a', kind: 'action', tool: 'notify', input: { message: 'a {{ run.id }}' } },
    { id: 'b', kind: 'action', tool: 'tasks.create', input: { title: 'b {{ run.id }}' } },
    { id: 'c', kind: 'transform', output: { done: '{{ nodes.b.output.id }}' } },
    { id: 'd', kind: 'action', tool: 'notify', input: { message: 'd {{ nodes.c.output.done }}' } },
  ],
  edges: [{ from: 'start', to: 'a' }, { from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'd' }],
};
const stepsPerRun = definition.nodes.length;
const workspaceId = 'ws_bench';

function createEngine(db: Database): WorkflowEngine {
  return new WorkflowEngine({
    store: createWorkflowStore(db),
    invoker: createCompositeActionInvoker({ internal: createInternalActionInvoker(createRecordingEffectPort()) }),
    eventBus: { publish: async () => undefined, subscribe: async () => async () => undefined },
    clock: systemClock,
    ids: { next: (prefix = 'id') => `${prefix}_${randomUUID()}` },
  });
}

async function countFinished(db: Database): Promise<number> {
  const [row] = await db.query<{ count: string }>(`SELECT COUNT(*) AS count FROM "WorkflowRun" WHERE "status" = 'succeeded'`);
  return Number(row?.count ?? 0);
}

async function readLatencies(db: Database): Promise<number[]> {
  const rows = await db.query<{ ms: string }>(
    `SELECT EXTRACT(EPOCH FROM (e."createdAt" - s."availableAt")) * 1000 AS ms
       FROM "RunEvent" e JOIN "WorkflowStep" s ON s."id" = e."payload"->>'stepId' WHERE e."type" = 'step-start'`,
  );
  return rows.map((row) => Number(row.ms));
}

async function waitForRuns(db: Database, expected: number): Promise<void> {
  while ((await countFinished(db)) < expected) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Starts `runs` runs at once, then lets `workerCount` workers drain them. */
async function measureThroughput(databases: Database[], runs: number): Promise<{ stepsPerSecond: number; loadedP50Ms: number; loadedP99Ms: number }> {
  const [main] = databases;
  if (!main) throw new Error('no database');
  await main.prisma.workspace.create({ data: { id: workspaceId, name: 'Bench', slug: `bench-${randomUUID()}` } });
  const engine = createEngine(main);
  const { workflow } = await engine.createWorkflow({ workspaceId, key: 'bench', name: 'Bench', definition });
  for (let index = 0; index < runs; index += 1) await engine.startRun({ workspaceId, workflowId: workflow.id });
  const workers = databases.map((db, index) => new Worker(createEngine(db), { workerId: `bench-${index}`, concurrency: 4, pollIntervalMs: 5, maintenanceIntervalMs: 0 }));
  const started = performance.now();
  workers.forEach((worker) => worker.start());
  await waitForRuns(main, runs);
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(workers.map((worker) => worker.stop()));
  const latencies = await readLatencies(main);
  return { stepsPerSecond: Math.round((runs * stepsPerRun) / seconds), loadedP50Ms: percentile(latencies, 0.5), loadedP99Ms: percentile(latencies, 0.99) };
}

/** One run at a time on an idle worker: ready-to-start latency without queueing. */
async function measureIdleLatency(db: Database, runs: number): Promise<{ idleP50Ms: number; idleP99Ms: number }> {
  const engine = createEngine(db);
  const { workflow } = await engine.createWorkflow({ workspaceId, key: 'bench-idle', name: 'Bench idle', definition });
  await db.execute('DELETE FROM "RunEvent"');
  const worker = new Worker(createEngine(db), { workerId: 'bench-idle', concurrency: 4, pollIntervalMs: 5, maintenanceIntervalMs: 0 });
  worker.start();
  const before = await countFinished(db);
  for (let index = 0; index < runs; index += 1) {
    await engine.startRun({ workspaceId, workflowId: workflow.id });
    await waitForRuns(db, before + index + 1);
  }
  await worker.stop();
  const latencies = await readLatencies(db);
  return { idleP50Ms: percentile(latencies, 0.5), idleP99Ms: percentile(latencies, 0.99) };
}

async function benchEmbedded(): Promise<Record<string, number>> {
  const one = await createEmbeddedTestDatabase();
  const two = await createEmbeddedTestDatabase();
  try {
    const single = await measureThroughput([one], 60);
    const idle = await measureIdleLatency(one, 20);
    const double = await measureThroughput([two, two], 60);
    return {
      embeddedOneWorkerStepsPerSecond: single.stepsPerSecond, embeddedTwoWorkersStepsPerSecond: double.stepsPerSecond,
      embeddedLoadedReadyToStartP50Ms: single.loadedP50Ms, embeddedLoadedReadyToStartP99Ms: single.loadedP99Ms,
      embeddedIdleReadyToStartP50Ms: idle.idleP50Ms, embeddedIdleReadyToStartP99Ms: idle.idleP99Ms,
    };
  } finally {
    await one.close();
    await two.close();
  }
}

async function benchPostgres(): Promise<Record<string, number>> {
  const server = await startPostgresServer();
  try {
    const one = await createPostgresTestDatabase(server);
    const single = await measureThroughput([one], 150);
    const idle = await measureIdleLatency(one, 20);
    await one.close();
    // Two workers, each with its own connection pool, as two processes would have.
    const two = await createPostgresTestDatabase(server);
    const second = await (await import('../packages/db/src/index')).openDatabase({ mode: 'postgres', url: two.url });
    const double = await measureThroughput([two, second], 150);
    await second.close();
    await two.close();
    return {
      postgresOneWorkerStepsPerSecond: single.stepsPerSecond, postgresTwoWorkersStepsPerSecond: double.stepsPerSecond,
      postgresLoadedReadyToStartP50Ms: single.loadedP50Ms, postgresLoadedReadyToStartP99Ms: single.loadedP99Ms,
      postgresIdleReadyToStartP50Ms: idle.idleP50Ms, postgresIdleReadyToStartP99Ms: idle.idleP99Ms,
    };
  } finally {
    await server.stop();
  }
}

export default async function run(): Promise<Record<string, unknown>> {
  const embedded = await benchEmbedded();
  const postgres = findPostgresBinaries() ? await benchPostgres() : { postgresSkipped: 1 };
  return { stepsPerRun, workerConcurrency: 4, ...embedded, ...postgres };
}
