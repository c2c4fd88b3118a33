import type { ApprovalRecord, WorkflowEngine } from '@opspilot/core/workflows';

/**
 * What an approved request outside a run asks for. MCP clients and agents
 * cannot start workflows themselves: `opspilot.propose_workflow` stores an
 * Approval with payload `{kind: 'workflow-run-request', workflowKey,
 * workflowId?, input}` and a person approves it here.
 */
interface WorkflowRunRequest {
  kind: 'workflow-run-request';
  workflowKey?: unknown;
  workflowId?: unknown;
  input?: unknown;
}

function isRunRequest(payload: Record<string, unknown>): payload is Record<string, unknown> & WorkflowRunRequest {
  return payload.kind === 'workflow-run-request';
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * After a person approved a workflow-run request, starts that run (as the
 * approver, run idempotency key `approval:<id>`, so a repeated call starts
 * it once). Returns the run id, or null when the approval was something else.
 */
export async function startApprovedRunRequest(engine: WorkflowEngine, approval: ApprovalRecord, approverId: string): Promise<string | null> {
  if (approval.status !== 'approved' || approval.runId !== null || !isRunRequest(approval.payload)) return null;
  const { workflowId, workflowKey } = approval.payload;
  const workflows = await engine.listWorkflows(approval.workspaceId);
  const workflow = workflows.find((candidate) => candidate.id === workflowId) ?? workflows.find((candidate) => candidate.key === workflowKey);
  if (!workflow) return null;
  const run = await engine.startRun({
    workspaceId: approval.workspaceId, workflowId: workflow.id, input: asRecord(approval.payload.input), triggerType: 'manual',
    createdById: approverId, idempotencyKey: `approval:${approval.id}`,
  });
  return run.id;
}
