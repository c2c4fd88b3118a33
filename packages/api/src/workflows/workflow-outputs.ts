import { z } from 'zod';
import {
  WorkflowDefinition, type ApprovalRecord, type PolicyRecord, type RunEventRecord, type RunEventMessage, type RunRecord, type StepRecord,
  type WorkflowRecord,
} from '@opspilot/core/workflows';

const iso = (date: Date | null) => date?.toISOString() ?? null;

export const RunStatusEnum = z.enum(['pending', 'running', 'waiting', 'succeeded', 'failed', 'cancelled']);
const StepStatusEnum = z.enum(['pending', 'ready', 'running', 'waiting', 'succeeded', 'failed', 'skipped', 'cancelled']);
export const ApprovalStatusEnum = z.enum(['pending', 'approved', 'rejected', 'expired']);
export const RunEventTypeEnum = z.enum(['run-start', 'step-start', 'step-end', 'step-retry', 'approval-request', 'run-end']);

export const PolicyMatch = z.object({
  kind: z.enum(['anomaly', 'incident']).optional().describe('Only anomalies or only incidents; both when absent'),
  metric: z.string().min(1).max(64).optional(),
  severity: z.enum(['info', 'warning', 'critical']).optional(),
  labels: z.record(z.string().max(64), z.string().max(200)).optional(),
});

export const WorkflowOutput = z.object({
  id: z.string(), key: z.string(), name: z.string(), description: z.string(), currentVersion: z.number().int(),
  enabled: z.boolean(), reversible: z.boolean(), createdAt: z.string(), updatedAt: z.string(),
});

export const WorkflowDetailOutput = WorkflowOutput.extend({ definition: WorkflowDefinition });

export const RunOutput = z.object({
  id: z.string(), workflowId: z.string(), workflowVersion: z.number().int(), status: RunStatusEnum,
  trigger: z.object({
    type: z.enum(['manual', 'cron', 'anomaly', 'incident', 'webhook']), nodeId: z.string(), mode: z.enum(['direct', 'suggest', 'auto']),
    policyId: z.string().optional(), scheduleId: z.string().optional(), signalId: z.string().optional(),
  }),
  input: z.record(z.string(), z.unknown()), output: z.unknown(), error: z.string().nullable(), createdById: z.string().nullable(),
  createdAt: z.string(), startedAt: z.string().nullable(), finishedAt: z.string().nullable(), cancelRequestedAt: z.string().nullable(),
});

export const StepOutput = z.object({
  id: z.string(), nodeId: z.string(), status: StepStatusEnum, attempt: z.number().int(), input: z.unknown(), output: z.unknown(),
  error: z.string().nullable(), availableAt: z.string(), startedAt: z.string().nullable(), finishedAt: z.string().nullable(),
});

export const ApprovalOutput = z.object({
  id: z.string(), runId: z.string().nullable(), stepId: z.string().nullable(), title: z.string(), summary: z.string(),
  payload: z.record(z.string(), z.unknown()), status: ApprovalStatusEnum, version: z.number().int(), decidedById: z.string().nullable(),
  decidedAt: z.string().nullable(), decisionNote: z.string().nullable(), expiresAt: z.string(), createdAt: z.string(),
});

export const PolicyOutput = z.object({
  id: z.string(), name: z.string(), match: PolicyMatch, workflowId: z.string(), mode: z.enum(['suggest', 'auto']),
  minConfidence: z.number(), maxRunsPerWindow: z.number().int(), windowMinutes: z.number().int(), enabled: z.boolean(),
});

/** One run event; `id` is `<runId>:<seq>`, the resume cursor (`lastEventId`). */
export const RunEventOutput = z.object({
  id: z.string(), runId: z.string(), seq: z.number().int(), type: RunEventTypeEnum, payload: z.record(z.string(), z.unknown()), createdAt: z.string(),
});

export function toWorkflowOutput(workflow: WorkflowRecord): z.infer<typeof WorkflowOutput> {
  return {
    id: workflow.id, key: workflow.key, name: workflow.name, description: workflow.description, currentVersion: workflow.currentVersion,
    enabled: workflow.enabled, reversible: workflow.reversible, createdAt: workflow.createdAt.toISOString(), updatedAt: workflow.updatedAt.toISOString(),
  };
}

export function toRunOutput(run: RunRecord): z.infer<typeof RunOutput> {
  return {
    id: run.id, workflowId: run.workflowId, workflowVersion: run.workflowVersion, status: run.status, trigger: run.trigger, input: run.input,
    output: run.output, error: run.error, createdById: run.createdById, createdAt: run.createdAt.toISOString(), startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt), cancelRequestedAt: iso(run.cancelRequestedAt),
  };
}

export function toStepOutput(step: StepRecord): z.infer<typeof StepOutput> {
  return {
    id: step.id, nodeId: step.nodeId, status: step.status, attempt: step.attempt, input: step.input, output: step.output, error: step.error,
    availableAt: step.availableAt.toISOString(), startedAt: iso(step.startedAt), finishedAt: iso(step.finishedAt),
  };
}

export function toApprovalOutput(approval: ApprovalRecord): z.infer<typeof ApprovalOutput> {
  return {
    id: approval.id, runId: approval.runId, stepId: approval.stepId, title: approval.title, summary: approval.summary, payload: approval.payload,
    status: approval.status, version: approval.version, decidedById: approval.decidedById, decidedAt: iso(approval.decidedAt),
    decisionNote: approval.decisionNote, expiresAt: approval.expiresAt.toISOString(), createdAt: approval.createdAt.toISOString(),
  };
}

export function toPolicyOutput(policy: PolicyRecord): z.infer<typeof PolicyOutput> {
  const { workspaceId: _workspaceId, ...rest } = policy;
  return rest;
}

export function toRunEventOutput(event: RunEventRecord | RunEventMessage): z.infer<typeof RunEventOutput> {
  return {
    id: `${event.runId}:${event.seq}`, runId: event.runId, seq: event.seq, type: event.type, payload: event.payload,
    createdAt: typeof event.createdAt === 'string' ? event.createdAt : event.createdAt.toISOString(),
  };
}
