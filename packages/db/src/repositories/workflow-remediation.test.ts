import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RemediationSignal } from '@opspilot/core/workflows';
import { createWorkflowHarness, type WorkflowHarness } from './workflow-test-harness';

let harness: WorkflowHarness;
let counter = 0;

beforeAll(async () => {
  harness = await createWorkflowHarness();
}, 120_000);
afterEach(async () => {
  await harness.closeOpenWork();
  await harness.db.prisma.workspace.update({ where: { id: harness.workspaceId }, data: { killSwitch: false } });
  await harness.db.prisma.remediationPolicy.updateMany({ data: { enabled: false } });
});
afterAll(async () => {
  await harness.close();
});

const rollbackFlow = {
  nodes: [
    { id: 'latency', kind: 'trigger', trigger: { type: 'anomaly', match: { metric: 'latency_p95_ms' } } },
    { id: 'settle', kind: 'delay', durationMs: 0 },
    { id: 'rollback', kind: 'action', tool: 'deploys.rollback', input: { service: '{{ input.signal.labels.service }}' } },
  ],
  edges: [{ from: 'latency', to: 'settle' }, { from: 'settle', to: 'rollback' }],
};

function signal(overrides: Partial<RemediationSignal> = {}): RemediationSignal {
  counter += 1;
  return { kind: 'anomaly', id: `anomaly_${counter}`, metric: 'latency_p95_ms', severity: 'critical', labels: { service: 'api' }, confidence: 0.95, ...overrides };
}

async function setUp(options: { mode: 'suggest' | 'auto'; reversible?: boolean; maxRunsPerWindow?: number; minConfidence?: number }) {
  counter += 1;
  const { workflow } = await harness.engine.createWorkflow({ workspaceId: harness.workspaceId, key: `rollback-${counter}`, name: 'Rollback', reversible: options.reversible ?? true, definition: rollbackFlow });
  const policy = await harness.engine.createPolicy({
    workspaceId: harness.workspaceId, name: `policy-${counter}`, workflowId: workflow.id, match: { metric: 'latency_p95_ms', severity: 'warning', labels: { service: 'api' } },
    mode: options.mode, maxRunsPerWindow: options.maxRunsPerWindow ?? 3, windowMinutes: 60, minConfidence: options.minConfidence ?? 0.8,
  });
  return { workflow, policy };
}

async function rollbacksOf(runId: string): Promise<number> {
  return harness.effects.effects.filter((effect) => effect.idempotencyKey === `${runId}:rollback`).length;
}

describe('remediation policies', { timeout: 60_000 }, () => {
  it('suggest mode (the default): the run starts but waits at an approval gate before any action', async () => {
    await setUp({ mode: 'suggest' });
    const [decision] = await harness.engine.handleSignal({ workspaceId: harness.workspaceId, signal: signal() });
    expect(decision).toMatchObject({ mode: 'suggest' });
    const runId = decision?.runId ?? '';
    await harness.engine.drain('worker-a');
    const { run } = await harness.engine.getRun(harness.workspaceId, runId);
    expect(run.status).toBe('waiting');
    expect(await rollbacksOf(runId)).toBe(0);
    const [gate] = await harness.engine.listApprovals({ workspaceId: harness.workspaceId, runId, status: 'pending' });
    await harness.engine.decideApproval({ workspaceId: harness.workspaceId, approvalId: gate?.id ?? '', decision: 'approved', userId: 'user_ana' });
    await harness.engine.drain('worker-a');
    expect(await rollbacksOf(runId)).toBe(1);
    expect((await harness.engine.getRun(harness.workspaceId, runId)).run.status).toBe('succeeded');
  });

  it('auto mode runs without a human when the workflow is reversible and confident enough', async () => {
    await setUp({ mode: 'auto' });
    const [decision] = await harness.engine.handleSignal({ workspaceId: harness.workspaceId, signal: signal() });
    expect(decision).toMatchObject({ mode: 'auto' });
    await harness.engine.drain('worker-a');
    expect(await rollbacksOf(decision?.runId ?? '')).toBe(1);
    expect(await harness.engine.listApprovals({ workspaceId: harness.workspaceId, runId: decision?.runId ?? '' })).toEqual([]);
  });

  it('degrades auto to suggest for irreversible workflows and low confidence', async () => {
    await setUp({ mode: 'auto', reversible: false });
    const [irreversible] = await harness.engine.handleSignal({ workspaceId: harness.workspaceId, signal: signal() });
    expect(irreversible).toMatchObject({ mode: 'suggest', reason: 'the workflow is not marked reversible' });
    await harness.closeOpenWork();
    await harness.db.prisma.remediationPolicy.updateMany({ data: { enabled: false } });
    await setUp({ mode: 'auto', minConfidence: 0.9 });
    const [unsure] = await harness.engine.handleSignal({ workspaceId: harness.workspaceId, signal: signal({ confidence: 0.5 }) });
    expect(unsure).toMatchObject({ mode: 'suggest', reason: 'confidence 0.5 is below 0.9' });
  });

  it('allows at most maxRunsPerWindow automatic runs per window', async () => {
    await setUp({ mode: 'auto', maxRunsPerWindow: 2 });
    const modes: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const [decision] = await harness.engine.handleSignal({ workspaceId: harness.workspaceId, signal: signal() });
      modes.push(decision?.mode ?? 'none');
    }
    expect(modes).toEqual(['auto', 'auto', 'suggest']);
    harness.clock.advance(61 * 60_000);
    const [later] = await harness.engine.handleSignal({ workspaceId: harness.workspaceId, signal: signal() });
    expect(later?.mode).toBe('auto');
  });

  it('starts one run per signal and policy, and ignores signals that do not match', async () => {
    await setUp({ mode: 'suggest' });
    const repeated = signal();
    const [first] = await harness.engine.handleSignal({ workspaceId: harness.workspaceId, signal: repeated });
    const [second] = await harness.engine.handleSignal({ workspaceId: harness.workspaceId, signal: repeated });
    expect(second?.runId).toBe(first?.runId);
    expect(await harness.engine.handleSignal({ workspaceId: harness.workspaceId, signal: signal({ metric: 'mrr' }) })).toEqual([]);
    expect(await harness.engine.handleSignal({ workspaceId: harness.workspaceId, signal: signal({ severity: 'info' }) })).toEqual([]);
    expect(await harness.engine.handleSignal({ workspaceId: harness.workspaceId, signal: signal({ labels: { service: 'web' } }) })).toEqual([]);
  });

  it('the kill switch stops active automatic runs, refuses new ones and degrades auto to suggest', async () => {
    await harness.db.prisma.remediationPolicy.updateMany({ data: { enabled: false } });
    const { workflow } = await setUp({ mode: 'auto' });
    const [active] = await harness.engine.handleSignal({ workspaceId: harness.workspaceId, signal: signal() });
    expect(active?.mode).toBe('auto');
    const direct = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id });
    const { cancelledRunIds } = await harness.engine.setKillSwitch({ workspaceId: harness.workspaceId, enabled: true, actorId: 'user_ana' });
    expect(cancelledRunIds).toEqual([active?.runId]);
    expect((await harness.engine.getRun(harness.workspaceId, direct.id)).run.status).toBe('pending');
    await expect(harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id, mode: 'auto' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const [degraded] = await harness.engine.handleSignal({ workspaceId: harness.workspaceId, signal: signal() });
    expect(degraded).toMatchObject({ mode: 'suggest', reason: 'the workspace kill switch is on' });
    await harness.engine.drain('worker-a');
    expect(await rollbacksOf(active?.runId ?? '')).toBe(0);
    expect(await rollbacksOf(degraded?.runId ?? '')).toBe(0);
    await harness.engine.setKillSwitch({ workspaceId: harness.workspaceId, enabled: false, actorId: 'user_ana' });
    const [again] = await harness.engine.handleSignal({ workspaceId: harness.workspaceId, signal: signal() });
    expect(again?.mode).toBe('auto');
  });
});

describe('cron schedules', { timeout: 60_000 }, () => {
  it('computes nextRunAt in the trigger time zone and starts a due run exactly once with two engines ticking', async () => {
    harness.clock.set(new Date('2026-01-05T10:00:00.000Z'));
    const { workflow } = await harness.engine.createWorkflow({
      workspaceId: harness.workspaceId, key: 'morning-report', name: 'Morning report',
      definition: {
        nodes: [{ id: 'morning', kind: 'trigger', trigger: { type: 'cron', cron: '0 9 * * *', timezone: 'America/New_York' } }, { id: 'report', kind: 'action', tool: 'notify', input: { message: 'Good morning' } }],
        edges: [{ from: 'morning', to: 'report' }],
      },
    });
    const schedule = await harness.db.prisma.workflowSchedule.findFirstOrThrow({ where: { workflowId: workflow.id } });
    expect(schedule.nextRunAt.toISOString()).toBe('2026-01-05T14:00:00.000Z');
    harness.clock.set(new Date('2026-01-05T13:59:59.000Z'));
    expect(await harness.engine.tickSchedules()).toEqual([]);
    harness.clock.set(new Date('2026-01-05T14:00:00.000Z'));
    const other = harness.createEngine();
    await Promise.all([harness.engine.tickSchedules(), other.tickSchedules(), harness.engine.tickSchedules()]);
    const runs = await harness.engine.listRuns({ workspaceId: harness.workspaceId, workflowId: workflow.id });
    expect(runs).toHaveLength(1);
    expect(runs[0]?.trigger).toMatchObject({ type: 'cron', nodeId: 'morning', scheduleId: schedule.id });
    const advanced = await harness.db.prisma.workflowSchedule.findFirstOrThrow({ where: { workflowId: workflow.id } });
    expect(advanced.nextRunAt.toISOString()).toBe('2026-01-06T14:00:00.000Z');
    expect(advanced.lastRunAt?.toISOString()).toBe('2026-01-05T14:00:00.000Z');
    await harness.engine.drain('worker-a');
    expect((await harness.engine.getRun(harness.workspaceId, runs[0]?.id ?? '')).run.status).toBe('succeeded');
  });
});
