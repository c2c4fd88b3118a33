import { describe, expect, it } from 'vitest';
import { Worker } from '@opspilot/core/workflows';
import { describePostgres } from '../testing';
import { openWorkflowHarness, type WorkflowHarness } from './workflow-test-harness';

let harness: WorkflowHarness;
let counter = 0;

function openHarness(database: 'embedded' | 'postgres'): void {
  openWorkflowHarness(database, (opened) => {
    harness = opened;
  });
}

const notifyFlow = {
  nodes: [
    { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
    { id: 'tell', kind: 'action', tool: 'notify', input: { message: 'run {{ run.id }}' } },
    { id: 'task', kind: 'action', tool: 'tasks.create', input: { title: 'Follow up {{ run.id }}' } },
  ],
  edges: [{ from: 'start', to: 'tell' }, { from: 'start', to: 'task' }],
};

async function startRun() {
  counter += 1;
  const { workflow } = await harness.engine.createWorkflow({ workspaceId: harness.workspaceId, key: `recovery-${counter}`, name: 'Recovery', definition: notifyFlow });
  return harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id });
}

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let round = 0; round < 2_000; round += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition never became true');
}

function defineRecoveryTests(): void {
  it('reclaims a step whose worker died mid-action; the retry passes the same key and the side effect happens once', async () => {
    const run = await startRun();
    await harness.engine.runNextStep('worker-a');
    const claimed = await harness.engine.claimNextStep('worker-a', 10_000);
    if (!claimed) throw new Error('expected a step');
    // Worker A performs the action's side effect, then dies before recording the output.
    await harness.effects.perform({ workspaceId: harness.workspaceId, idempotencyKey: claimed.step.idempotencyKey, kind: claimed.step.nodeId === 'tell' ? 'notification' : 'task', payload: { by: 'worker-a' } });
    expect(await harness.engine.runNextStep('worker-b')).not.toBeNull();
    expect(await harness.engine.claimNextStep('worker-b', 10_000)).toBeNull();
    harness.clock.advance(10_001);
    const reclaimed = await harness.engine.claimNextStep('worker-b', 10_000);
    expect(reclaimed?.step.id).toBe(claimed.step.id);
    expect(reclaimed?.step.attempt).toBe(2);
    expect(reclaimed?.step.idempotencyKey).toBe(claimed.step.idempotencyKey);
    if (!reclaimed) return;
    expect(await harness.engine.executeStep(reclaimed)).toBe('succeeded');
    expect((await harness.engine.getRun(harness.workspaceId, run.id)).run.status).toBe('succeeded');
    const calls = harness.effects.calls.filter((call) => call.idempotencyKey === claimed.step.idempotencyKey);
    const performed = harness.effects.effects.filter((effect) => effect.idempotencyKey === claimed.step.idempotencyKey);
    expect([calls.length, performed.length]).toEqual([2, 1]);
  });

  it('fails a step that keeps losing its worker instead of reclaiming it forever', async () => {
    const run = await startRun();
    await harness.engine.runNextStep('worker-a');
    let claimed = await harness.engine.claimNextStep('worker-a', 1_000);
    for (let crash = 0; crash < 6 && claimed && claimed.step.attempt <= 6; crash += 1) {
      harness.clock.advance(1_001);
      claimed = await harness.engine.claimNextStep(`worker-${crash}`, 1_000);
    }
    if (!claimed) throw new Error('expected a reclaimed step');
    expect(claimed.step.attempt).toBeGreaterThan(6);
    expect(await harness.engine.executeStep(claimed)).toBe('failed');
    const { run: finished } = await harness.engine.getRun(harness.workspaceId, run.id);
    expect(finished.status).toBe('failed');
    expect(finished.error).toMatch(/was started 7 times without finishing/);
  });

  it('discards the result of a worker that lost its lease', async () => {
    const run = await startRun();
    await harness.engine.runNextStep('worker-a');
    const stale = await harness.engine.claimNextStep('worker-a', 5_000);
    if (!stale) throw new Error('expected a step');
    harness.clock.advance(5_001);
    await harness.engine.drain('worker-b');
    expect((await harness.engine.getRun(harness.workspaceId, run.id)).run.status).toBe('succeeded');
    const eventsBefore = await harness.engine.listRunEvents(harness.workspaceId, run.id);
    expect(await harness.engine.executeStep(stale)).toBe('lost');
    expect(await harness.engine.listRunEvents(harness.workspaceId, run.id)).toHaveLength(eventsBefore.length);
  });

  it('two workers with concurrency run many runs to completion, each action once', async () => {
    const runs: Awaited<ReturnType<typeof startRun>>[] = [];
    for (let index = 0; index < 6; index += 1) runs.push(await startRun());
    const workers = [
      new Worker(harness.engine, { workerId: 'worker-1', concurrency: 2, pollIntervalMs: 5, maintenanceIntervalMs: 0 }),
      new Worker(harness.createEngine(), { workerId: 'worker-2', concurrency: 2, pollIntervalMs: 5, maintenanceIntervalMs: 0 }),
    ];
    workers.forEach((worker) => worker.start());
    try {
      await waitUntil(async () => {
        const statuses = await Promise.all(runs.map(async (run) => (await harness.engine.getRun(harness.workspaceId, run.id)).run.status));
        return statuses.every((status) => status === 'succeeded');
      });
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
    for (const run of runs) {
      const keys = [`${run.id}:tell`, `${run.id}:task`];
      expect(keys.map((key) => harness.effects.calls.filter((call) => call.idempotencyKey === key).length)).toEqual([1, 1]);
      const steps = (await harness.engine.getRun(harness.workspaceId, run.id)).steps;
      expect(steps.every((step) => step.attempt === 1)).toBe(true);
      const leaseOwners = new Set(steps.map((step) => step.leaseOwner));
      expect(leaseOwners).toEqual(new Set([null]));
    }
  });

  it('stop() during a claim waits for the step that claim returns, so nothing runs after it resolves', async () => {
    const run = await startRun();
    const succeeded = async () => (await harness.engine.getRun(harness.workspaceId, run.id)).steps.filter((step) => step.status === 'succeeded').length;
    const before = await succeeded();
    const worker = new Worker(harness.engine, { workerId: 'worker-stopping', concurrency: 1, pollIntervalMs: 600_000, maintenanceIntervalMs: 0 });
    worker.start(); // its first claim is in flight now
    await worker.stop();
    const { steps } = await harness.engine.getRun(harness.workspaceId, run.id);
    expect(steps.filter((step) => step.status === 'running')).toEqual([]);
    expect(await succeeded()).toBe(before + 1);
  });

  it('wakes an idle worker when a run starts in the same process instead of waiting for its poll', async () => {
    const worker = new Worker(harness.engine, { workerId: 'worker-sleepy', concurrency: 1, pollIntervalMs: 600_000, maintenanceIntervalMs: 0 });
    worker.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const run = await startRun();
      await waitUntil(async () => (await harness.engine.getRun(harness.workspaceId, run.id)).run.status === 'succeeded');
    } finally {
      await worker.stop();
    }
  });
}

describe('crash recovery and workers on PGlite', { timeout: 120_000 }, () => {
  openHarness('embedded');
  defineRecoveryTests();
});

describePostgres('crash recovery and workers on PostgreSQL', () => {
  openHarness('postgres');
  defineRecoveryTests();
});
