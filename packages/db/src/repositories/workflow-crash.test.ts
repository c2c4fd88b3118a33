import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePostgres } from '../testing';
import { createWorkflowHarness, type WorkflowHarness } from './workflow-test-harness';

const workerScript = fileURLToPath(new URL('./workflow-crash-worker.ts', import.meta.url));
const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));
const runCount = 12;
const actionNodes = ['first', 'left', 'right', 'last'];

const definition = {
  nodes: [
    { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
    { id: 'first', kind: 'action', tool: 'notify', input: { message: 'first {{ run.id }}' } },
    { id: 'fan', kind: 'parallel' },
    { id: 'left', kind: 'action', tool: 'tasks.create', input: { title: 'left {{ run.id }}' } },
    { id: 'right', kind: 'action', tool: 'notify', input: { message: 'right {{ run.id }}' } },
    { id: 'both', kind: 'join' },
    { id: 'last', kind: 'action', tool: 'tasks.create', input: { title: 'last {{ run.id }}' } },
  ],
  edges: [
    { from: 'start', to: 'first' }, { from: 'first', to: 'fan' }, { from: 'fan', to: 'left' }, { from: 'fan', to: 'right' },
    { from: 'left', to: 'both' }, { from: 'right', to: 'both' }, { from: 'both', to: 'last' },
  ],
};

function startWorker(url: string, workerId: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript, url, workerId, '1500'], { cwd: packageDirectory, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker ${workerId} exited with ${String(code)}: ${errors}`)));
  });
}

async function waitUntil(check: () => Promise<boolean>, rounds = 3_000): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition never became true');
}

describePostgres('two worker processes, one killed with SIGKILL mid-run', () => {
  let harness: WorkflowHarness;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    harness = await createWorkflowHarness({ database: 'postgres' });
  }, 120_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await harness.close();
  });

  it('completes every run and performs every action exactly once', { timeout: 120_000 }, async () => {
    const url = (harness.db as { url?: string }).url ?? '';
    const { workflow } = await harness.engine.createWorkflow({ workspaceId: harness.workspaceId, key: 'crash', name: 'Crash test', definition });
    const runIds: string[] = [];
    for (let index = 0; index < runCount; index += 1) {
      runIds.push((await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id })).id);
    }
    const victim = await startWorker(url, 'worker-victim');
    children.push(victim);
    children.push(await startWorker(url, 'worker-survivor'));

    // Kill the victim while it holds leases on running steps (mid-action).
    await waitUntil(async () => {
      const [row] = await harness.db.query<{ count: string }>(`SELECT COUNT(*) AS count FROM "WorkflowStep" WHERE "status" = 'running' AND "leaseOwner" = 'worker-victim'`);
      const [done] = await harness.db.query<{ count: string }>(`SELECT COUNT(*) AS count FROM "SandboxOutbox"`);
      return Number(row?.count) > 0 && Number(done?.count) >= 8;
    });
    victim.kill('SIGKILL');
    const heldByVictim = await harness.db.query<{ id: string }>(`SELECT "id" FROM "WorkflowStep" WHERE "status" = 'running' AND "leaseOwner" = 'worker-victim'`);

    await waitUntil(async () => {
      const [row] = await harness.db.query<{ count: string }>(`SELECT COUNT(*) AS count FROM "WorkflowRun" WHERE "status" = 'succeeded'`);
      return Number(row?.count) === runCount;
    });

    const effects = await harness.db.query<{ key: string; count: string }>(`SELECT "idempotencyKey" AS key, COUNT(*) AS count FROM "SandboxOutbox" GROUP BY "idempotencyKey"`);
    const expectedKeys = runIds.flatMap((runId) => actionNodes.map((nodeId) => `${runId}:${nodeId}`)).sort();
    expect(effects.map((effect) => effect.key).sort()).toEqual(expectedKeys);
    expect(effects.every((effect) => Number(effect.count) === 1)).toBe(true);
    expect(heldByVictim.length).toBeGreaterThan(0);
    const reclaimed = await harness.db.query<{ id: string; attempt: number }>(
      `SELECT "id", "attempt" FROM "WorkflowStep" WHERE "id" = ANY($1::text[])`, [heldByVictim.map((step) => step.id)],
    );
    expect(reclaimed.every((step) => step.attempt >= 2)).toBe(true);
    const survivorStarts = await harness.db.query<{ stepId: string }>(
      `SELECT "payload"->>'stepId' AS "stepId" FROM "RunEvent" WHERE "type" = 'step-start' AND "payload"->>'workerId' = 'worker-survivor' AND "payload"->>'stepId' = ANY($1::text[])`,
      [heldByVictim.map((step) => step.id)],
    );
    expect(new Set(survivorStarts.map((row) => row.stepId)).size).toBe(heldByVictim.length);
  });
});
