import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunEventMessage } from '@opspilot/core/workflows';
import { createWorkflowHarness, type WorkflowHarness } from './workflow-test-harness';

let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await createWorkflowHarness();
}, 120_000);
afterEach(async () => {
  await harness.closeOpenWork();
});
afterAll(async () => {
  await harness.close();
});

let keyCounter = 0;
async function createWorkflow(definition: unknown, options: { reversible?: boolean } = {}) {
  keyCounter += 1;
  const { workflow } = await harness.engine.createWorkflow({ workspaceId: harness.workspaceId, key: `wf-${keyCounter}`, name: `Workflow ${keyCounter}`, definition, ...options });
  return workflow;
}

describe('workflow engine on PGlite', { timeout: 60_000 }, () => {
  it('runs trigger -> action -> transform with templated inputs and stores outputs', async () => {
    harness.gateway.handlers.set('stripe__list_failed_invoices', async () => ({ count: 3, invoices: [{ id: 'in_1' }, { id: 'in_2' }, { id: 'in_3' }] }));
    const workflow = await createWorkflow({
      nodes: [
        { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
        { id: 'findInvoices', kind: 'action', tool: 'stripe__list_failed_invoices', input: { days: '{{ input.days }}' } },
        { id: 'summary', kind: 'transform', output: { text: '{{ nodes.findInvoices.output.count }} failed', count: '{{ nodes.findInvoices.output.count * 2 }}' } },
      ],
      edges: [{ from: 'start', to: 'findInvoices' }, { from: 'findInvoices', to: 'summary' }],
    });
    const run = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id, input: { days: 7 } });
    expect(await harness.engine.drain('worker-a')).toBe(3);
    const detail = await harness.engine.getRun(harness.workspaceId, run.id);
    expect(detail.run.status).toBe('succeeded');
    expect(detail.run.output).toEqual({ summary: { text: '3 failed', count: 6 } });
    expect(detail.steps.find((step) => step.nodeId === 'findInvoices')?.input).toEqual({ days: 7 });
    const call = harness.gateway.calls.at(-1);
    expect(call?.input).toEqual({ days: 7 });
    expect(call?.idempotencyKey).toBe(`${run.id}:findInvoices`);
    const events = await harness.engine.listRunEvents(harness.workspaceId, run.id);
    expect(events.map((event) => event.type)).toEqual(['run-start', 'step-start', 'step-end', 'step-start', 'step-end', 'step-start', 'step-end', 'run-end']);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const published = harness.bus.published.filter((entry) => entry.topic === `run:${run.id}`).map((entry) => (entry.payload as RunEventMessage).seq);
    expect(published).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(harness.bus.published.some((entry) => entry.topic === `workspace-runs:${harness.workspaceId}`)).toBe(true);
  });
});

function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
}

async function stepsByNode(runId: string) {
  const { run, steps } = await harness.engine.getRun(harness.workspaceId, runId);
  return { run, byNode: Object.fromEntries(steps.map((step) => [step.nodeId, step])) };
}

describe('node kinds', { timeout: 60_000 }, () => {
  const branching = {
    nodes: [
      { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
      { id: 'check', kind: 'condition', expression: 'input.amount > 100' },
      { id: 'fan', kind: 'parallel' },
      { id: 'tell', kind: 'action', tool: 'notify', input: { message: 'Big amount {{ input.amount }}' } },
      { id: 'task', kind: 'action', tool: 'tasks.create', input: { title: 'Review {{ input.amount }}' } },
      { id: 'both', kind: 'join' },
      { id: 'done', kind: 'transform', output: { notified: '{{ nodes.both.output.tell.channel }}' } },
      { id: 'small', kind: 'transform', output: 'small' },
    ],
    edges: [
      { from: 'start', to: 'check' }, { from: 'check', to: 'fan', label: 'true' }, { from: 'check', to: 'small', label: 'false' },
      { from: 'fan', to: 'tell' }, { from: 'fan', to: 'task' }, { from: 'tell', to: 'both' }, { from: 'task', to: 'both' }, { from: 'both', to: 'done' },
    ],
  };

  it('takes the true branch, fans out in parallel and joins both branches', async () => {
    const workflow = await createWorkflow(branching);
    const run = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id, input: { amount: 500 } });
    await harness.engine.drain('worker-a');
    const { run: finished, byNode } = await stepsByNode(run.id);
    expect(finished.status).toBe('succeeded');
    expect(byNode.small?.status).toBe('skipped');
    expect(Object.keys(byNode.both?.output as object).sort()).toEqual(['task', 'tell']);
    expect(byNode.done?.output).toEqual({ notified: 'default' });
    expect(harness.effects.effects.filter((effect) => effect.idempotencyKey.startsWith(run.id)).map((effect) => effect.kind).sort()).toEqual(['notification', 'task']);
  });

  it('takes the false branch and propagates skips through the fan-out and the join', async () => {
    const workflow = await createWorkflow(branching);
    const run = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id, input: { amount: 5 } });
    await harness.engine.drain('worker-a');
    const { run: finished, byNode } = await stepsByNode(run.id);
    expect(finished.status).toBe('succeeded');
    expect(['fan', 'tell', 'task', 'both', 'done'].map((nodeId) => byNode[nodeId]?.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(finished.output).toEqual({ small: 'small' });
  });

  it('holds a delay step until its time comes', async () => {
    const workflow = await createWorkflow({
      nodes: [{ id: 'start', kind: 'trigger', trigger: { type: 'manual' } }, { id: 'wait', kind: 'delay', durationMs: 60_000 }, { id: 'after', kind: 'transform', output: 'late' }],
      edges: [{ from: 'start', to: 'wait' }, { from: 'wait', to: 'after' }],
    });
    const run = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id });
    expect(await harness.engine.drain('worker-a')).toBe(1);
    expect((await stepsByNode(run.id)).byNode.wait?.status).toBe('ready');
    harness.clock.advance(59_999);
    expect(await harness.engine.drain('worker-a')).toBe(0);
    harness.clock.advance(1);
    expect(await harness.engine.drain('worker-a')).toBe(2);
    expect((await stepsByNode(run.id)).run.status).toBe('succeeded');
  });
});

describe('retries, timeouts and failures', { timeout: 60_000 }, () => {
  it('retries with exponential backoff and jitter from the injected random source, passing the same idempotency key', async () => {
    const engine = harness.createEngine({ random: () => 1 });
    let calls = 0;
    harness.gateway.handlers.set('test__flaky', async () => {
      calls += 1;
      if (calls < 3) throw new Error(`flaky ${calls}`);
      return { ok: true };
    });
    const workflow = await createWorkflow({
      nodes: [
        { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
        { id: 'flaky', kind: 'action', tool: 'test__flaky', input: {}, retry: { maxAttempts: 3, initialDelayMs: 1000, factor: 2, maxDelayMs: 60_000, jitter: 0.5 } },
      ],
      edges: [{ from: 'start', to: 'flaky' }],
    });
    const run = await engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id });
    await engine.runNextStep('worker-a');
    expect(await engine.runNextStep('worker-a')).toBe('retrying');
    harness.clock.advance(1499);
    expect(await engine.runNextStep('worker-a')).toBeNull();
    harness.clock.advance(1);
    expect(await engine.runNextStep('worker-a')).toBe('retrying');
    harness.clock.advance(2999);
    expect(await engine.runNextStep('worker-a')).toBeNull();
    harness.clock.advance(1);
    expect(await engine.runNextStep('worker-a')).toBe('succeeded');
    const events = await engine.listRunEvents(harness.workspaceId, run.id);
    expect(events.filter((event) => event.type === 'step-retry').map((event) => event.payload.delayMs)).toEqual([1500, 3000]);
    const keys = harness.gateway.calls.filter((call) => call.runId === run.id).map((call) => call.idempotencyKey);
    expect(keys).toEqual([`${run.id}:flaky`, `${run.id}:flaky`, `${run.id}:flaky`]);
    const { run: finished, byNode } = await stepsByNode(run.id);
    expect(finished.status).toBe('succeeded');
    expect(byNode.flaky?.attempt).toBe(3);
  });

  it('fails at once on a NonRetryableError and cancels the rest of the run', async () => {
    const { NonRetryableError } = await import('@opspilot/core/workflows');
    harness.gateway.handlers.set('test__flaky', async () => {
      throw new NonRetryableError('card declined permanently');
    });
    const workflow = await createWorkflow({
      nodes: [
        { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
        { id: 'charge', kind: 'action', tool: 'test__flaky', input: {}, retry: { maxAttempts: 5 } },
        { id: 'after', kind: 'transform', output: 1 },
      ],
      edges: [{ from: 'start', to: 'charge' }, { from: 'charge', to: 'after' }],
    });
    const run = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id });
    await harness.engine.drain('worker-a');
    const { run: finished, byNode } = await stepsByNode(run.id);
    expect(finished.status).toBe('failed');
    expect(finished.error).toContain('card declined permanently');
    expect(byNode.charge?.attempt).toBe(1);
    expect(byNode.after?.status).toBe('cancelled');
  });

  it('times a step out through its AbortSignal', async () => {
    let sawAbort = false;
    harness.gateway.handlers.set('test__flaky', async (request) => {
      await waitForAbort(request.signal).catch((error: unknown) => {
        sawAbort = true;
        throw error;
      });
    });
    const workflow = await createWorkflow({
      nodes: [{ id: 'start', kind: 'trigger', trigger: { type: 'manual' } }, { id: 'slow', kind: 'action', tool: 'test__flaky', input: {}, timeoutMs: 30, retry: { maxAttempts: 1 } }],
      edges: [{ from: 'start', to: 'slow' }],
    });
    const run = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id });
    await harness.engine.drain('worker-a');
    const { run: finished, byNode } = await stepsByNode(run.id);
    expect(sawAbort).toBe(true);
    expect(finished.status).toBe('failed');
    expect(byNode.slow?.error).toMatch(/timed out after 30 ms/);
  });
});

describe('cancel, versions and idempotent starts', { timeout: 60_000 }, () => {
  it('cancels a run while its action runs: the action sees the abort and nothing continues', async () => {
    let sawAbort = false;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    harness.gateway.handlers.set('test__flaky', async (request) => {
      started();
      await waitForAbort(request.signal).catch((error: unknown) => {
        sawAbort = true;
        throw error;
      });
    });
    const workflow = await createWorkflow({
      nodes: [{ id: 'start', kind: 'trigger', trigger: { type: 'manual' } }, { id: 'slow', kind: 'action', tool: 'test__flaky', input: {} }, { id: 'after', kind: 'transform', output: 1 }],
      edges: [{ from: 'start', to: 'slow' }, { from: 'slow', to: 'after' }],
    });
    const run = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id });
    await harness.engine.runNextStep('worker-a');
    const claimed = await harness.engine.claimNextStep('worker-a', 30_000);
    if (!claimed) throw new Error('expected a step');
    const execution = harness.engine.executeStep(claimed);
    await running;
    await harness.engine.cancelRun({ workspaceId: harness.workspaceId, runId: run.id, actorId: 'user_1' });
    expect(await execution).toBe('lost');
    expect(sawAbort).toBe(true);
    const { run: finished, byNode } = await stepsByNode(run.id);
    expect(finished.status).toBe('cancelled');
    expect(byNode.slow?.status).toBe('cancelled');
    expect(byNode.after?.status).toBe('cancelled');
    await expect(harness.engine.cancelRun({ workspaceId: harness.workspaceId, runId: run.id, actorId: 'user_1' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const events = await harness.engine.listRunEvents(harness.workspaceId, run.id);
    expect(events.at(-1)?.type).toBe('run-end');
  });

  it('keeps the definition version a run started with after the workflow is updated', async () => {
    const definition = (label: string) => ({
      nodes: [{ id: 'start', kind: 'trigger', trigger: { type: 'manual' } }, { id: 'result', kind: 'transform', output: label }],
      edges: [{ from: 'start', to: 'result' }],
    });
    const workflow = await createWorkflow(definition('v1'));
    const first = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id });
    const updated = await harness.engine.updateWorkflow({ workspaceId: harness.workspaceId, workflowId: workflow.id, definition: definition('v2') });
    expect(updated.workflow.currentVersion).toBe(2);
    const second = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id });
    await harness.engine.drain('worker-a');
    const [firstDone, secondDone] = await Promise.all([stepsByNode(first.id), stepsByNode(second.id)]);
    expect([firstDone.run.workflowVersion, firstDone.run.output]).toEqual([1, { result: 'v1' }]);
    expect([secondDone.run.workflowVersion, secondDone.run.output]).toEqual([2, { result: 'v2' }]);
  });

  it('returns the same run for a repeated idempotency key', async () => {
    const workflow = await createWorkflow({ nodes: [{ id: 'start', kind: 'trigger', trigger: { type: 'manual' } }], edges: [] });
    const first = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id, idempotencyKey: 'request-42' });
    const again = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id, idempotencyKey: 'request-42' });
    expect(again.id).toBe(first.id);
    expect(await harness.engine.listRuns({ workspaceId: harness.workspaceId, workflowId: workflow.id })).toHaveLength(1);
  });

  it('refuses an invalid definition on update and keeps the current version', async () => {
    const workflow = await createWorkflow({ nodes: [{ id: 'start', kind: 'trigger', trigger: { type: 'manual' } }], edges: [] });
    await expect(harness.engine.updateWorkflow({
      workspaceId: harness.workspaceId, workflowId: workflow.id,
      definition: { nodes: [{ id: 'start', kind: 'trigger', trigger: { type: 'manual' } }, { id: 'x', kind: 'action', tool: 'nope__tool', input: {} }], edges: [{ from: 'start', to: 'x' }] },
    })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('Node "x": unknown tool') as unknown });
    expect((await harness.engine.getWorkflow(harness.workspaceId, workflow.id)).workflow.currentVersion).toBe(1);
  });
});

describe('triggers, internal actions and the demo workflows', { timeout: 60_000 }, () => {
  it('starts from the webhook trigger and skips the others', async () => {
    const workflow = await createWorkflow({
      nodes: [
        { id: 'byHand', kind: 'trigger', trigger: { type: 'manual' } },
        { id: 'hook', kind: 'trigger', trigger: { type: 'webhook' } },
        { id: 'echo', kind: 'transform', output: { event: '{{ nodes.hook.output.event ?? "manual" }}' } },
      ],
      edges: [{ from: 'byHand', to: 'echo' }, { from: 'hook', to: 'echo' }],
    });
    const run = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id, triggerType: 'webhook', input: { event: 'invoice.payment_failed' } });
    expect(run.trigger).toMatchObject({ type: 'webhook', nodeId: 'hook', mode: 'direct' });
    await harness.engine.drain('worker-a');
    const { run: finished, byNode } = await stepsByNode(run.id);
    expect(byNode.byHand?.status).toBe('skipped');
    expect(finished.output).toEqual({ echo: { event: 'invoice.payment_failed' } });
  });

  it('metrics.wait polls through the retry policy until the metric recovers', async () => {
    harness.effects.metrics.latency_p95_ms = 900;
    const workflow = await createWorkflow({
      nodes: [
        { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
        { id: 'recovered', kind: 'action', tool: 'metrics.wait', input: { metric: 'latency_p95_ms', below: 300 }, retry: { maxAttempts: 5, initialDelayMs: 60_000, jitter: 0 } },
      ],
      edges: [{ from: 'start', to: 'recovered' }],
    });
    const run = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: workflow.id });
    await harness.engine.drain('worker-a');
    expect((await stepsByNode(run.id)).byNode.recovered?.error).toMatch(/latency_p95_ms is 900; waiting for < 300/);
    harness.effects.metrics.latency_p95_ms = 250;
    harness.clock.advance(60_000);
    await harness.engine.drain('worker-a');
    const { run: finished, byNode } = await stepsByNode(run.id);
    expect(finished.status).toBe('succeeded');
    expect(byNode.recovered?.output).toEqual({ metric: 'latency_p95_ms', value: 250 });
  });

  it('runs the demo failed-payment follow-up end to end through its approval', async () => {
    const { demoWorkflows } = await import('@opspilot/core/workflows');
    harness.gateway.handlers.set('stripe__list_failed_invoices', async () => ({ count: 2, invoices: [{ id: 'in_1' }, { id: 'in_2' }] }));
    const ids: Record<string, string> = {};
    for (const demo of demoWorkflows) {
      const { workflow } = await harness.engine.createWorkflow({ workspaceId: harness.workspaceId, ...demo, key: `demo-${demo.key}` });
      ids[demo.key] = workflow.id;
    }
    const run = await harness.engine.startRun({ workspaceId: harness.workspaceId, workflowId: ids['failed-payment-follow-up'] ?? '' });
    await harness.engine.drain('worker-a');
    const [approval] = await harness.engine.listApprovals({ workspaceId: harness.workspaceId, runId: run.id });
    expect(approval?.summary).toBe('2 failed invoices need a follow-up.');
    await harness.engine.decideApproval({ workspaceId: harness.workspaceId, approvalId: approval?.id ?? '', decision: 'approved', userId: 'user_ana' });
    await harness.engine.drain('worker-a');
    expect((await stepsByNode(run.id)).run.status).toBe('succeeded');
    const calls = harness.gateway.calls.filter((call) => call.runId === run.id).map((call) => [call.tool, call.input]);
    expect(calls).toEqual([
      ['stripe__list_failed_invoices', { limit: 50 }],
      ['slack__post_message', { channel: '#revenue', text: '2 invoices are failing payment (dunning).' }],
      ['linear__create_issue', { title: 'Follow up on 2 failed payments', description: 'Opened by the failed-payment follow-up workflow.' }],
    ]);
  });
});
