import type { McpGateway } from '@opspilot/core/integrations';
import type { ApprovalRecord, WorkflowEngine } from '@opspilot/core/workflows';

/**
 * What an approved request outside a run asks for. MCP clients and agents
 * cannot act on their own: `opspilot.propose_workflow` stores an Approval
 * with payload `{kind: 'workflow-run-request', workflowKey, workflowId?,
 * input}`, and a chat turn stores `{source: 'chat', action: {kind: 'workflow'
 * | 'tool', name, args}}`. A person approves it here, and only then does it run.
 */
type FollowUp =
  | { kind: 'workflow'; workflowId: unknown; workflowKey: unknown; input: Record<string, unknown> }
  | { kind: 'tool'; tool: string; args: Record<string, unknown> };

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function readFollowUp(payload: Record<string, unknown>): FollowUp | null {
  if (payload.kind === 'workflow-run-request') {
    return { kind: 'workflow', workflowId: payload.workflowId, workflowKey: payload.workflowKey, input: asRecord(payload.input) };
  }
  if (payload.source !== 'chat') return null;
  const action = asRecord(payload.action);
  if (typeof action.name !== 'string') return null;
  if (action.kind === 'workflow') return { kind: 'workflow', workflowId: undefined, workflowKey: action.name, input: asRecord(action.args) };
  if (action.kind === 'tool') return { kind: 'tool', tool: action.name, args: asRecord(action.args) };
  return null;
}

export interface ApprovedRequestOutcome {
  startedRunId: string | null;
  toolResult: { tool: string; isError: boolean; callId: string } | null;
}

/**
 * After a person approved a request that is not part of a run, carries it
 * out as the approver, once: a workflow starts with run idempotency key
 * `approval:<id>`; a tool is called through the gateway with the same key, so
 * a repeated approve call does not act twice.
 */
export async function performApprovedRequest(
  services: { workflows: WorkflowEngine; gateway: Pick<McpGateway, 'callTool'> },
  approval: ApprovalRecord,
  approverId: string,
): Promise<ApprovedRequestOutcome> {
  const none: ApprovedRequestOutcome = { startedRunId: null, toolResult: null };
  if (approval.status !== 'approved' || approval.runId !== null) return none;
  const followUp = readFollowUp(approval.payload);
  if (!followUp) return none;
  const idempotencyKey = `approval:${approval.id}`;
  if (followUp.kind === 'tool') {
    const result = await services.gateway.callTool({
      workspaceId: approval.workspaceId,
      actor: { type: 'user', id: approverId },
      tool: followUp.tool,
      args: followUp.args,
      idempotencyKey,
    });
    return { startedRunId: null, toolResult: { tool: followUp.tool, isError: result.isError, callId: result.callId } };
  }
  const workflows = await services.workflows.listWorkflows(approval.workspaceId);
  const workflow =
    workflows.find((candidate) => candidate.id === followUp.workflowId) ?? workflows.find((candidate) => candidate.key === followUp.workflowKey);
  if (!workflow) return none;
  const run = await services.workflows.startRun({
    workspaceId: approval.workspaceId, workflowId: workflow.id, input: followUp.input, triggerType: 'manual',
    createdById: approverId, idempotencyKey,
  });
  return { startedRunId: run.id, toolResult: null };
}
