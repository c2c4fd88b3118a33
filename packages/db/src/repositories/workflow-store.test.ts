import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowStore } from '@opspilot/core/workflows';
import { describePostgres } from '../testing';
import { createActionEffectStore } from './workflow-action-effects';
import { createWorkflowStore } from './workflow-store';
import { createWorkflowHarness, type WorkflowHarness } from './workflow-test-harness';

let harness: WorkflowHarness;
let store: WorkflowStore;
const at = new Date('2026-02-01T12:00:00.000Z');

function openHarness(database: 'embedded' | 'postgres'): void {
  beforeAll(async () => {
    harness = await createWorkflowHarness({ database });
    store = createWorkflowStore(harness.db);
  }, 120_000);
  afterAll(async () => {
    await harness.close();
  });
}

async function insertRun(id: string, stepCount: number, options: { idempotencyKey?: string; availableAt?: Date } = {}) {
  const { workflow } = await harness.engine.createWorkflow({
    workspaceId: harness.workspaceId, key: `store-${id}`, name: id,
    definition: { nodes: [{ id: 'start', kind: 'trigger', trigger: { type: 'manual' } }], edges: [] },
  });
  return store.insertRun({
    run: {
      id, workspaceId: harness.workspaceId, workflowId: workflow.id, workflowVersion: 1, trigger: { type: 'manual', nodeId: 'start', mode: 'direct' },
      input: {}, idempotencyKey: options.idempotencyKey ?? null, createdById: null, createdAt: at,
    },
    steps: Array.from({ length: stepCount }, (_, index) => ({
      id: `${id}-step-${index}`, runId: id, workspaceId: harness.workspaceId, nodeId: `node${index}`, status: 'ready' as const,
      availableAt: options.availableAt ?? at, idempotencyKey: `${id}:node${index}`,
    })),
    event: { id: `${id}-event-1`, type: 'run-start', payload: {}, createdAt: at },
  });
}

function defineStoreTests(): void {
  it('stores times as UTC instants and keeps the run on a repeated idempotency key', async () => {
    const first = await insertRun('run-a', 1, { idempotencyKey: 'same' });
    expect(first.created).toBe(true);
    const again = await insertRun('run-a2', 1, { idempotencyKey: 'same' });
    expect([again.created, again.run.id]).toEqual([false, 'run-a']);
    const stored = await store.findRun(harness.workspaceId, 'run-a');
    expect(stored?.createdAt.toISOString()).toBe(at.toISOString());
    expect(await store.findRun('another-workspace', 'run-a')).toBeNull();
  });

  it('hands each ready step to one claimer only, and only once it is due', async () => {
    await insertRun('run-b', 5);
    await insertRun('run-future', 1, { availableAt: new Date(at.getTime() + 60_000) });
    const claims = await Promise.all(Array.from({ length: 8 }, (_, index) => store.claimNextStep({ workerId: `w${index}`, leaseMs: 1_000, now: at })));
    const claimed = claims.filter((claim) => claim !== null);
    const ids = claimed.map((claim) => claim.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id.startsWith('run-b'))).toHaveLength(5);
    expect(ids).not.toContain('run-future-step-0');
    expect(claimed.every((claim) => claim.status === 'running' && claim.attempt === 1 && claim.leaseExpiresAt?.getTime() === at.getTime() + 1_000)).toBe(true);
  });

  it('renews a lease only for its owner and reclaims it after expiry', async () => {
    await harness.closeOpenWork();
    await insertRun('run-c', 1);
    const claim = await store.claimNextStep({ workerId: 'owner', leaseMs: 1_000, now: at });
    expect(claim?.id).toBe('run-c-step-0');
    expect(await store.renewLease({ stepId: 'run-c-step-0', workerId: 'intruder', leaseExpiresAt: new Date(at.getTime() + 9_000) })).toBe(false);
    expect(await store.renewLease({ stepId: 'run-c-step-0', workerId: 'owner', leaseExpiresAt: new Date(at.getTime() + 2_000) })).toBe(true);
    expect(await store.claimNextStep({ workerId: 'other', leaseMs: 1_000, now: new Date(at.getTime() + 1_500) })).toBeNull();
    const reclaimed = await store.claimNextStep({ workerId: 'other', leaseMs: 1_000, now: new Date(at.getTime() + 2_001) });
    expect([reclaimed?.id, reclaimed?.attempt, reclaimed?.leaseOwner]).toEqual(['run-c-step-0', 2, 'other']);
  });

  it('gives concurrent run transactions distinct, gap-free event sequence numbers', async () => {
    await insertRun('run-d', 1);
    await Promise.all(Array.from({ length: 10 }, (_, index) =>
      store.withRunLock('run-d', (transaction) => transaction.appendEvent({ id: `run-d-event-${index + 2}`, type: 'step-start', payload: { index }, createdAt: at }))));
    const events = await store.listRunEvents('run-d', 0);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect((await store.findRun(null, 'run-d'))?.lastSeq).toBe(11);
  });

  it('transitions an approval by compare-and-swap on its version', async () => {
    await insertRun('run-e', 1);
    await store.withRunLock('run-e', (transaction) => transaction.insertApproval({
      id: 'approval-e', workspaceId: harness.workspaceId, runId: 'run-e', stepId: 'run-e-step-0', title: 'Go?', summary: '', payload: {},
      status: 'pending', requestedBy: null, expiresAt: new Date(at.getTime() + 60_000), createdAt: at,
    }));
    const stale = await store.transitionApproval({ approvalId: 'approval-e', expectedVersion: 3, status: 'approved', decidedById: 'u', decidedAt: at, note: null });
    expect(stale).toBeNull();
    const approved = await store.transitionApproval({ approvalId: 'approval-e', expectedVersion: 0, status: 'approved', decidedById: 'u', decidedAt: at, note: 'ok' });
    expect(approved).toMatchObject({ status: 'approved', version: 1, decidedById: 'u', decisionNote: 'ok' });
    expect(await store.transitionApproval({ approvalId: 'approval-e', expectedVersion: 1, status: 'rejected', decidedById: 'v', decidedAt: at, note: null })).toBeNull();
  });

  it('performs an internal action effect once per idempotency key, rollback included', async () => {
    const effects = createActionEffectStore(harness.db);
    await harness.db.prisma.deploy.createMany({
      data: [
        { workspaceId: harness.workspaceId, service: 'api', version: 'v41', deployedAt: new Date('2026-01-01T00:00:00Z') },
        { workspaceId: harness.workspaceId, service: 'api', version: 'v42', deployedAt: new Date('2026-01-02T00:00:00Z') },
      ],
    });
    const effect = { workspaceId: harness.workspaceId, idempotencyKey: 'run-x:rollback', kind: 'deploy-rollback' as const, payload: { service: 'api' } };
    const first = await effects.perform(effect);
    const second = await effects.perform(effect);
    expect(first).toMatchObject({ repeated: false, result: { service: 'api', rolledBackVersion: 'v42' } });
    expect(second).toMatchObject({ repeated: true, result: { id: first.result.id, rolledBackVersion: 'v42' } });
    const deploys = await harness.db.prisma.deploy.findMany({ where: { workspaceId: harness.workspaceId }, orderBy: { version: 'asc' } });
    expect(deploys.map((deploy) => [deploy.version, deploy.rolledBack])).toEqual([['v41', false], ['v42', true]]);
    expect(await harness.db.prisma.sandboxOutbox.count({ where: { idempotencyKey: 'run-x:rollback' } })).toBe(1);
    await harness.db.prisma.metricPoint.create({ data: { workspaceId: harness.workspaceId, metric: 'latency_p95_ms', interval: '5m', ts: new Date('2026-01-02T00:05:00Z'), value: 180 } });
    expect(await effects.readMetric({ workspaceId: harness.workspaceId, metric: 'latency_p95_ms' })).toBe(180);
  });
}

describe('SQL workflow store on PGlite', { timeout: 60_000 }, () => {
  openHarness('embedded');
  defineStoreTests();
});

describePostgres('SQL workflow store on PostgreSQL', () => {
  openHarness('postgres');
  defineStoreTests();
});
