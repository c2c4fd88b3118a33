import { describe, expect, it } from 'vitest';
import { WorkflowDefinition } from './definition';
import type { StepRecord, StepStatus } from './ports';
import { computeBackoffMs } from './retry';
import { RetryPolicy } from './definition';
import { insertApprovalGate, planRunAdvance } from './run-advance';

const at = new Date('2026-01-01T00:00:00Z');

function steps(statuses: Record<string, [StepStatus, unknown?]>): StepRecord[] {
  return Object.entries(statuses).map(([nodeId, [status, output]]) => ({
    id: `step-${nodeId}`, runId: 'run', workspaceId: 'ws', nodeId, status, attempt: 0, input: null, output: output ?? null, error: null,
    availableAt: at, leaseOwner: null, leaseExpiresAt: null, idempotencyKey: `run:${nodeId}`, startedAt: null, finishedAt: null,
  }));
}

const branching = WorkflowDefinition.parse({
  nodes: [
    { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
    { id: 'check', kind: 'condition', expression: 'true' },
    { id: 'yes', kind: 'transform', output: 1 },
    { id: 'no', kind: 'transform', output: 2 },
    { id: 'afterNo', kind: 'delay', durationMs: 5000 },
    { id: 'merge', kind: 'join' },
  ],
  edges: [
    { from: 'start', to: 'check' }, { from: 'check', to: 'yes', label: 'true' }, { from: 'check', to: 'no', label: 'false' },
    { from: 'no', to: 'afterNo' }, { from: 'yes', to: 'merge' }, { from: 'afterNo', to: 'merge' },
  ],
});

describe('planRunAdvance', () => {
  it('readies the taken branch and propagates skips through the untaken one', () => {
    const plan = planRunAdvance(branching, steps({ start: ['succeeded'], check: ['succeeded', { result: true }], yes: ['pending'], no: ['pending'], afterNo: ['pending'], merge: ['pending'] }), at);
    expect(plan.transitions.map((transition) => [transition.nodeId, transition.status])).toEqual([['yes', 'ready'], ['no', 'skipped'], ['afterNo', 'skipped']]);
    expect(plan.completion).toBeNull();
  });

  it('makes a join wait for every incoming branch, then run if any was taken', () => {
    const waiting = planRunAdvance(branching, steps({ start: ['succeeded'], check: ['succeeded', { result: false }], yes: ['skipped'], no: ['succeeded'], afterNo: ['running'], merge: ['pending'] }), at);
    expect(waiting.transitions).toEqual([]);
    const ready = planRunAdvance(branching, steps({ start: ['succeeded'], check: ['succeeded', { result: false }], yes: ['skipped'], no: ['succeeded'], afterNo: ['succeeded'], merge: ['pending'] }), at);
    expect(ready.transitions.map((transition) => [transition.nodeId, transition.status])).toEqual([['merge', 'ready']]);
  });

  it('puts a delay in the future and completes the run with leaf outputs', () => {
    const plan = planRunAdvance(branching, steps({ start: ['succeeded'], check: ['succeeded', { result: false }], yes: ['skipped'], no: ['succeeded'], afterNo: ['pending'], merge: ['pending'] }), at);
    expect(plan.transitions[0]?.availableAt.toISOString()).toBe('2026-01-01T00:00:05.000Z');
    const done = planRunAdvance(branching, steps({ start: ['succeeded'], check: ['succeeded'], yes: ['skipped'], no: ['succeeded'], afterNo: ['succeeded'], merge: ['succeeded', { afterNo: {} }] }), at);
    expect(done.completion).toEqual({ status: 'succeeded', output: { merge: { afterNo: {} } }, error: null });
  });

  it('inserts an approval gate after the triggers for suggested runs', () => {
    const gated = insertApprovalGate(branching);
    expect(gated.edges).toContainEqual({ from: 'start', to: 'suggestionGate' });
    expect(gated.edges).toContainEqual({ from: 'suggestionGate', to: 'check' });
    expect(gated.edges).not.toContainEqual({ from: 'start', to: 'check' });
  });
});

describe('computeBackoffMs', () => {
  const policy = RetryPolicy.parse({ initialDelayMs: 1000, factor: 2, maxDelayMs: 5000, jitter: 0.2 });
  it('grows exponentially, caps, and spreads by the injected random source', () => {
    expect([1, 2, 3, 4].map((attempt) => computeBackoffMs(policy, attempt, () => 0.5))).toEqual([1000, 2000, 4000, 5000]);
    expect(computeBackoffMs(policy, 1, () => 0)).toBe(800);
    expect(computeBackoffMs(policy, 1, () => 1)).toBe(1200);
  });
});
