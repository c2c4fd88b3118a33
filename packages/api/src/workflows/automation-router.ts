import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { MemberRole } from '../context';
import { workspaceProcedure } from '../procedures';
import { performApprovedRequest } from './approval-followups';
import { readKillSwitch, updatePolicy } from './policy-admin';
import { ApprovalOutput, ApprovalStatusEnum, PolicyMatch, PolicyOutput, toApprovalOutput, toPolicyOutput } from './workflow-outputs';

/**
 * A workspace procedure only a signed-in person may call. Approvals are
 * human decisions: an API key (a script, an agent, an MCP client) gets 403
 * whatever its scopes, so no automated path can grant one.
 */
export function userWorkspaceProcedure(minimumRole: MemberRole) {
  return workspaceProcedure(minimumRole).use(({ ctx, next }) => {
    const principal = ctx.access.principal;
    if (principal.kind !== 'user') {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Only a signed-in person can decide an approval; API keys and agents cannot.' });
    }
    return next({ ctx: { ...ctx, user: principal } });
  });
}

const tags = ['workflows'];
const base = '/v1/workspaces/{workspaceId}';
const DecisionInput = z.object({
  approvalId: z.string().min(1).max(64),
  note: z.string().max(2_000).optional(),
  /** The version the person saw; a decision on a changed approval gets 409. */
  expectedVersion: z.number().int().min(0).optional(),
});
const PolicySettings = {
  mode: z.enum(['suggest', 'auto']).optional(),
  minConfidence: z.number().min(0).max(1).optional(),
  maxRunsPerWindow: z.number().int().min(1).max(1_000).optional(),
  windowMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
};

function decide(decision: 'approved' | 'rejected') {
  const verb = decision === 'approved' ? 'approve' : 'reject';
  return userWorkspaceProcedure('member')
    .meta({ openapi: { method: 'POST', path: `${base}/approvals/{approvalId}/${verb}`, summary: `${decision === 'approved' ? 'Approve' : 'Reject'} a pending approval (signed-in users only)`, tags, protect: true } })
    .input(DecisionInput)
    .output(
      ApprovalOutput.extend({
        startedRunId: z.string().nullable().describe('The run an approved workflow-run request started'),
        toolResult: z
          .object({ tool: z.string(), isError: z.boolean(), callId: z.string() })
          .nullable()
          .describe('The tool call an approved chat request made'),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const approval = await ctx.runtime.workflows.decideApproval({
        workspaceId: ctx.access.workspaceId, approvalId: input.approvalId, decision, userId: ctx.user.userId,
        ...(input.note === undefined ? {} : { note: input.note }),
        ...(input.expectedVersion === undefined ? {} : { expectedVersion: input.expectedVersion }),
      });
      const outcome = await performApprovedRequest(ctx.runtime, approval, ctx.user.userId);
      return { ...toApprovalOutput(approval), ...outcome };
    });
}

/** Approvals, remediation policies and the kill switch (merged into `workflows.*`). */
export const automationProcedures = {
  approvals: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: `${base}/approvals`, summary: 'Workflow approvals, newest first', tags, protect: true } })
    .input(z.object({ status: ApprovalStatusEnum.optional(), runId: z.string().min(1).max(64).optional() }))
    .output(z.object({ items: z.array(ApprovalOutput) }))
    .query(async ({ ctx, input }) => {
      if (input.runId) await ctx.runtime.workflows.getRun(ctx.access.workspaceId, input.runId);
      const items = await ctx.runtime.workflows.listApprovals({
        workspaceId: ctx.access.workspaceId, ...(input.status ? { status: input.status } : {}), ...(input.runId ? { runId: input.runId } : {}),
      });
      return { items: items.map(toApprovalOutput) };
    }),

  approve: decide('approved'),
  reject: decide('rejected'),

  policies: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: `${base}/policies`, summary: 'Remediation policies', tags, protect: true } })
    .output(z.object({ items: z.array(PolicyOutput) }))
    .query(async ({ ctx }) => ({ items: (await ctx.runtime.workflows.listPolicies(ctx.access.workspaceId)).map(toPolicyOutput) })),

  createPolicy: workspaceProcedure('admin')
    .meta({ openapi: { method: 'POST', path: `${base}/policies`, summary: 'Create a remediation policy (suggest by default)', tags, protect: true } })
    .input(z.object({ name: z.string().trim().min(1).max(120), match: PolicyMatch, workflowId: z.string().min(1).max(64), ...PolicySettings }))
    .output(PolicyOutput)
    .mutation(async ({ ctx, input }) => {
      const { workspaceId: _workspaceId, ...settings } = input;
      const policy = await ctx.runtime.workflows.createPolicy({ ...settings, workspaceId: ctx.access.workspaceId });
      return toPolicyOutput(policy);
    }),

  updatePolicy: workspaceProcedure('admin')
    .meta({ openapi: { method: 'PATCH', path: `${base}/policies/{policyId}`, summary: 'Change a remediation policy', tags, protect: true } })
    .input(z.object({
      policyId: z.string().min(1).max(64), name: z.string().trim().min(1).max(120).optional(), match: PolicyMatch.optional(),
      workflowId: z.string().min(1).max(64).optional(), enabled: z.boolean().optional(), ...PolicySettings,
    }))
    .output(PolicyOutput)
    .mutation(async ({ ctx, input }) =>
      toPolicyOutput(await updatePolicy(ctx.runtime.db, ctx.runtime.workflows, { ...input, workspaceId: ctx.access.workspaceId, actorId: ctx.access.actorId })),
    ),

  killSwitch: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: `${base}/kill-switch`, summary: 'Whether automatic runs are stopped', tags, protect: true } })
    .output(z.object({ enabled: z.boolean() }))
    .query(async ({ ctx }) => ({ enabled: await readKillSwitch(ctx.runtime.db, ctx.access.workspaceId) })),

  setKillSwitch: workspaceProcedure('admin')
    .meta({ openapi: { method: 'PUT', path: `${base}/kill-switch`, summary: 'Stop (or allow again) every automatic run of the workspace', tags, protect: true } })
    .input(z.object({ enabled: z.boolean() }))
    .output(z.object({ enabled: z.boolean(), cancelledRunIds: z.array(z.string()) }))
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.runtime.workflows.setKillSwitch({ workspaceId: ctx.access.workspaceId, enabled: input.enabled, actorId: ctx.access.actorId });
      return { enabled: input.enabled, cancelledRunIds: result.cancelledRunIds };
    }),
};
