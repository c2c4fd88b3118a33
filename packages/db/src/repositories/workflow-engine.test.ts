import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunEventMessage } from '@opspilot/core/workflows';
import { createWorkflowHarness, type WorkflowHarness } from './workflow-test-harness';

let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await createWorkflowHarness();
});
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

describe('workflow engine on PGlite', () => {
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
