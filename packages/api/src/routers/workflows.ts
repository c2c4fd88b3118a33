import { tracked } from '@trpc/server';
import { z } from 'zod';
import { isAppError } from '@opspilot/core/errors';
import { WorkflowDefinition, insertApprovalGate } from '@opspilot/core/workflows';
import { createWorkflowStore } from '@opspilot/db';
import { toTrpcError } from '../errors';
import { workspaceProcedure } from '../procedures';
import { router } from '../trpc';
import { automationProcedures } from '../workflows/automation-router';
import { streamRunEvents } from '../workflows/run-event-stream';
import {
  ApprovalOutput, RunOutput, RunStatusEnum, StepOutput, WorkflowDetailOutput, WorkflowOutput, toApprovalOutput, toRunEventOutput,
  toRunOutput, toStepOutput, toWorkflowOutput,
} from '../workflows/workflow-outputs';

const tags = ['workflows'];
const base = '/v1/workspaces/{workspaceId}';
const Id = z.string().min(1).max(64);
const WorkflowKey = z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Keys use lowercase letters, digits and dashes');

/**
 * Workflows: definitions (versioned), runs with their steps, approvals,
 * remediation policies, the kill switch and live run events. Viewers read,
 * members start and cancel runs and decide approvals (signed-in people only),
 * admins change definitions, policies and the kill switch.
 * See docs/decisions/0003-durable-workflow-engine.md.
 */
export const workflowsRouter = router({
  list: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: `${base}/workflows`, summary: 'Workflows of the workspace', tags, protect: true } })
    .output(z.object({ items: z.array(WorkflowOutput) }))
    .query(async ({ ctx }) => ({ items: (await ctx.runtime.workflows.listWorkflows(ctx.access.workspaceId)).map(toWorkflowOutput) })),

  get: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: `${base}/workflows/{workflowId}`, summary: 'A workflow with its current definition', tags, protect: true } })
    .input(z.object({ workflowId: Id }))
    .output(WorkflowDetailOutput)
    .query(async ({ ctx, input }) => {
      const { workflow, definition } = await ctx.runtime.workflows.getWorkflow(ctx.access.workspaceId, input.workflowId);
      return { ...toWorkflowOutput(workflow), definition };
    }),

  create: workspaceProcedure('admin')
    .meta({ openapi: { method: 'POST', path: `${base}/workflows`, summary: 'Create a workflow (validated; stored as version 1)', tags, protect: true } })
    .input(z.object({
      key: WorkflowKey, name: z.string().trim().min(1).max(120), description: z.string().max(2_000).optional(), reversible: z.boolean().optional(),
      definition: WorkflowDefinition,
    }))
    .output(WorkflowDetailOutput)
    .mutation(async ({ ctx, input }) => {
      const { workflow, definition } = await ctx.runtime.workflows.createWorkflow({
        workspaceId: ctx.access.workspaceId, key: input.key, name: input.name, definition: input.definition, createdById: ctx.access.actorId,
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.reversible === undefined ? {} : { reversible: input.reversible }),
      });
      return { ...toWorkflowOutput(workflow), definition };
    }),

  update: workspaceProcedure('admin')
    .meta({ openapi: { method: 'PATCH', path: `${base}/workflows/{workflowId}`, summary: 'Change a workflow; a new definition becomes the next version', tags, protect: true } })
    .input(z.object({
      workflowId: Id, name: z.string().trim().min(1).max(120).optional(), description: z.string().max(2_000).optional(), reversible: z.boolean().optional(),
      enabled: z.boolean().optional(), definition: WorkflowDefinition.optional(),
    }))
    .output(WorkflowDetailOutput)
    .mutation(async ({ ctx, input }) => {
      const { workspaceId: _workspaceId, ...changes } = input;
      const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      const { workflow, definition } = await ctx.runtime.workflows.updateWorkflow({
        ...defined, workspaceId: ctx.access.workspaceId, workflowId: input.workflowId, updatedById: ctx.access.actorId,
      });
      return { ...toWorkflowOutput(workflow), definition };
    }),

  runs: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: `${base}/runs`, summary: 'Workflow runs, newest first', tags, protect: true } })
    .input(z.object({ workflowId: Id.optional(), status: RunStatusEnum.optional(), limit: z.coerce.number().int().min(1).max(100).default(50) }))
    .output(z.object({ items: z.array(RunOutput) }))
    .query(async ({ ctx, input }) => {
      // A filter naming another workspace's workflow is a 404, not an empty page.
      if (input.workflowId) await ctx.runtime.workflows.getWorkflow(ctx.access.workspaceId, input.workflowId);
      const runs = await ctx.runtime.workflows.listRuns({
        workspaceId: ctx.access.workspaceId, limit: input.limit,
        ...(input.workflowId ? { workflowId: input.workflowId } : {}), ...(input.status ? { status: [input.status] } : {}),
      });
      return { items: runs.map(toRunOutput) };
    }),

  run: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: `${base}/runs/{runId}`, summary: 'A run with its steps, approvals and the definition it runs', tags, protect: true } })
    .input(z.object({ runId: Id }))
    .output(RunOutput.extend({ steps: z.array(StepOutput), approvals: z.array(ApprovalOutput), definition: WorkflowDefinition.nullable() }))
    .query(async ({ ctx, input }) => {
      const workspaceId = ctx.access.workspaceId;
      const { run, steps } = await ctx.runtime.workflows.getRun(workspaceId, input.runId);
      const approvals = await ctx.runtime.workflows.listApprovals({ workspaceId, runId: run.id });
      // The version the run started with, with the approval gate a suggested run has: what the canvas draws.
      const version = await createWorkflowStore(ctx.runtime.db).findWorkflowVersion(run.workflowId, run.workflowVersion);
      const definition = version ? (run.trigger.mode === 'suggest' ? insertApprovalGate(version.definition) : version.definition) : null;
      return { ...toRunOutput(run), steps: steps.map(toStepOutput), approvals: approvals.map(toApprovalOutput), definition };
    }),

  start: workspaceProcedure('member')
    .meta({ openapi: { method: 'POST', path: `${base}/workflows/{workflowId}/run`, summary: 'Start a run of the current version (manual trigger)', tags, protect: true } })
    .input(z.object({
      workflowId: Id, input: z.record(z.string(), z.unknown()).optional(),
      /** A retried request with the same key returns the first run instead of starting another. */
      idempotencyKey: z.string().min(1).max(200).optional(),
    }))
    .output(RunOutput)
    .mutation(async ({ ctx, input }) => {
      const run = await ctx.runtime.workflows.startRun({
        workspaceId: ctx.access.workspaceId, workflowId: input.workflowId, triggerType: 'manual', createdById: ctx.access.actorId,
        ...(input.input ? { input: input.input } : {}),
        // Scoped to the caller so one principal's key can never return another's run.
        ...(input.idempotencyKey ? { idempotencyKey: `api:${ctx.access.actorId}:${input.idempotencyKey}` } : {}),
      });
      return toRunOutput(run);
    }),

  cancel: workspaceProcedure('member')
    .meta({ openapi: { method: 'POST', path: `${base}/runs/{runId}/cancel`, summary: 'Cancel a run (409 when it already finished)', tags, protect: true } })
    .input(z.object({ runId: Id, reason: z.string().max(500).optional() }))
    .output(RunOutput)
    .mutation(async ({ ctx, input }) =>
      toRunOutput(await ctx.runtime.workflows.cancelRun({
        workspaceId: ctx.access.workspaceId, runId: input.runId, actorId: ctx.access.actorId, ...(input.reason ? { reason: input.reason } : {}),
      })),
    ),

  ...automationProcedures,

  /**
   * Live run events (run-start, step-start, step-end, step-retry,
   * approval-request, run-end) for one run, or for every run of the
   * workspace without `runId`. Ids are `<runId>:<seq>`; reconnecting with
   * `lastEventId` resumes after it, each event exactly once and in order.
   */
  onRunEvent: workspaceProcedure('viewer')
    .input(z.object({ runId: Id.optional(), lastEventId: z.string().max(200).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      try {
        const events = streamRunEvents({
          engine: ctx.runtime.workflows, eventBus: ctx.runtime.eventBus, workspaceId: ctx.access.workspaceId,
          runId: input.runId, lastEventId: input.lastEventId, signal,
        });
        for await (const event of events) {
          const output = toRunEventOutput(event);
          yield tracked(output.id, output);
        }
      } catch (error) {
        throw isAppError(error) ? toTrpcError(error) : error;
      }
    }),
});
