import { describe, expect, it } from 'vitest';
import { describePostgres } from '../testing';
import { openWorkflowHarness, type WorkflowHarness } from './workflow-test-harness';

let harness: WorkflowHarness;
let counter = 0;

function openHarness(database: 'embedded' | 'postgres'): void {
  openWorkflowHarness(database, (opened) => {
    harness = opened;
  });
}

const approvalFlow = {
  nodes: [
    { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
    { id: 'ask', kind: 'approval', title: 'Roll back?', summary: 'Service {{ input.service }} regressed', expiresInMinutes: 30 },
    { id: 'rollback', kind: 'action', tool: 'deploys.rollback', input: { service: '{{ input.service }}' } },
    { id: 'apologise', kind: 'action', tool: 'notify', input: { message: 'Rollback of {{ input.service }} refused' } },
  ],
  edges: [
    { from: 'start', to: 'ask' },
    { from: 'ask', to: 'rollback', label: 'approved' },
    { from: 'ask', to: 'apologise', label: 'rejected' },
  ],
};

async function startWaitingRun(definition: unknown = approvalFlow) {
  counter += 1;
  const { workflow } = await harness.engine.createWorkflow({ workspaceId: harness.workspaceId, key: `approval-${counter}`, name: 'Approval', definition });
  const run = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id, input: { service: 'api' } });
  await harness.engine.drain('worker-a');
  const [approval] = await harness.engine.listApprovals({ workspaceId: harness.workspaceId, runId: run.id });
  if (!approval) throw new Error('expected an approval');
  return { run, approval };
}

async function readRun(runId: string) {
  const { run, steps } = await harness.engine.getRun(harness.workspaceId, runId);
  return { run, byNode: Object.fromEntries(steps.map((step) => [step.nodeId, step])) };
}

function defineApprovalTests(): void {
  it('waits for a person, then runs the approved branch', async () => {
    const { run, approval } = await startWaitingRun();
    expect(approval).toMatchObject({ status: 'pending', version: 0, title: 'Roll back?', summary: 'Service api regressed' });
    expect((await readRun(run.id)).run.status).toBe('waiting');
    const events = await harness.engine.listRunEvents(harness.workspaceId, run.id);
    expect(events.find((event) => event.type === 'approval-request')?.payload.approvalId).toBe(approval.id);
    expect(harness.effects.effects.filter((effect) => effect.idempotencyKey.startsWith(run.id))).toHaveLength(0);

    const decided = await harness.engine.decideApproval({ workspaceId: harness.workspaceId, approvalId: approval.id, decision: 'approved', userId: 'user_ana' });
    expect(decided).toMatchObject({ status: 'approved', version: 1, decidedById: 'user_ana' });
    expect(decided.decidedAt?.toISOString()).toBe(harness.clock.now().toISOString());
    await harness.engine.drain('worker-a');
    const { run: finished, byNode } = await readRun(run.id);
    expect(finished.status).toBe('succeeded');
    expect(byNode.rollback?.status).toBe('succeeded');
    expect(byNode.apologise?.status).toBe('skipped');
    expect(harness.effects.effects.filter((effect) => effect.idempotencyKey === `${run.id}:rollback`)).toHaveLength(1);
    const audit = await harness.db.prisma.auditLog.findMany({ where: { targetId: approval.id } });
    expect(audit.map((entry) => [entry.action, entry.actorId])).toEqual([['approval.approved', 'user_ana']]);
  });

  it('refuses a second decision with CONFLICT (double approval, or reject after approve)', async () => {
    const { approval } = await startWaitingRun();
    await harness.engine.decideApproval({ workspaceId: harness.workspaceId, approvalId: approval.id, decision: 'approved', userId: 'user_ana' });
    await expect(harness.engine.decideApproval({ workspaceId: harness.workspaceId, approvalId: approval.id, decision: 'approved', userId: 'user_bob' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(harness.engine.decideApproval({ workspaceId: harness.workspaceId, approvalId: approval.id, decision: 'rejected', userId: 'user_bob' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('lets exactly one of two concurrent decisions win the compare-and-swap', async () => {
    const { approval } = await startWaitingRun();
    const results = await Promise.allSettled([
      harness.engine.decideApproval({ workspaceId: harness.workspaceId, approvalId: approval.id, decision: 'approved', userId: 'user_ana', expectedVersion: 0 }),
      harness.engine.decideApproval({ workspaceId: harness.workspaceId, approvalId: approval.id, decision: 'rejected', userId: 'user_bob', expectedVersion: 0 }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'rejected').map((result) => (result).reason as { code: string })).toMatchObject([{ code: 'CONFLICT' }]);
  });

  it('refuses a stale version', async () => {
    const { approval } = await startWaitingRun();
    await expect(harness.engine.decideApproval({ workspaceId: harness.workspaceId, approvalId: approval.id, decision: 'approved', userId: 'user_ana', expectedVersion: 7 })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('takes the rejected branch when refused', async () => {
    const { run, approval } = await startWaitingRun();
    await harness.engine.decideApproval({ workspaceId: harness.workspaceId, approvalId: approval.id, decision: 'rejected', userId: 'user_ana', note: 'not now' });
    await harness.engine.drain('worker-a');
    const { run: finished, byNode } = await readRun(run.id);
    expect(finished.status).toBe('succeeded');
    expect(byNode.rollback?.status).toBe('skipped');
    expect(byNode.apologise?.status).toBe('succeeded');
    expect(byNode.ask?.output).toMatchObject({ decision: 'rejected', decidedById: 'user_ana', note: 'not now' });
  });

  it('ends the run as cancelled when refused and there is no rejected branch', async () => {
    const { run, approval } = await startWaitingRun({ nodes: approvalFlow.nodes.slice(0, 3), edges: approvalFlow.edges.slice(0, 2) });
    await harness.engine.decideApproval({ workspaceId: harness.workspaceId, approvalId: approval.id, decision: 'rejected', userId: 'user_ana' });
    await harness.engine.drain('worker-a');
    const { run: finished } = await readRun(run.id);
    expect(finished.status).toBe('cancelled');
    expect(finished.error).toBe('Approval "ask" was rejected');
  });

  it('expires: the sweep moves it to expired, the run takes the rejected path, and approving later is refused', async () => {
    const { run, approval } = await startWaitingRun();
    harness.clock.advance(29 * 60_000);
    expect(await harness.engine.expireApprovals()).toBe(0);
    harness.clock.advance(60_000);
    expect(await harness.engine.expireApprovals()).toBe(1);
    await expect(harness.engine.decideApproval({ workspaceId: harness.workspaceId, approvalId: approval.id, decision: 'approved', userId: 'user_ana' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await harness.engine.drain('worker-a');
    const { run: finished, byNode } = await readRun(run.id);
    expect(byNode.ask?.output).toMatchObject({ decision: 'expired' });
    expect(byNode.apologise?.status).toBe('succeeded');
    expect(finished.status).toBe('succeeded');
  });

  it('refuses to approve an approval past its expiry even before the sweep ran', async () => {
    const { approval } = await startWaitingRun();
    harness.clock.advance(31 * 60_000);
    await expect(harness.engine.decideApproval({ workspaceId: harness.workspaceId, approvalId: approval.id, decision: 'approved', userId: 'user_ana' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const [after] = await harness.engine.listApprovals({ workspaceId: harness.workspaceId, runId: approval.runId ?? '' });
    expect(after?.status).toBe('expired');
  });

  it('needs a person: an empty user id is refused and another workspace cannot see the approval', async () => {
    const { approval } = await startWaitingRun();
    await expect(harness.engine.decideApproval({ workspaceId: harness.workspaceId, approvalId: approval.id, decision: 'approved', userId: ' ' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(harness.engine.decideApproval({ workspaceId: 'ws_other', approvalId: approval.id, decision: 'approved', userId: 'user_eve' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
}

describe('approvals on PGlite', { timeout: 60_000 }, () => {
  openHarness('embedded');
  defineApprovalTests();
});

describePostgres('approvals on PostgreSQL', () => {
  openHarness('postgres');
  defineApprovalTests();
});
