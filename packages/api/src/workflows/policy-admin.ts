import { AppError } from '@opspilot/core/errors';
import type { PolicyRecord, WorkflowEngine } from '@opspilot/core/workflows';
import type { Database } from '@opspilot/db';

export interface UpdatePolicyInput {
  workspaceId: string;
  policyId: string;
  actorId: string;
  name?: string | undefined;
  match?: PolicyRecord['match'] | undefined;
  workflowId?: string | undefined;
  mode?: 'suggest' | 'auto' | undefined;
  minConfidence?: number | undefined;
  maxRunsPerWindow?: number | undefined;
  windowMinutes?: number | undefined;
  enabled?: boolean | undefined;
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

/**
 * Changes a remediation policy, scoped to its workspace, and audits who did
 * it. The engine's store has no policy update yet, so this writes the row
 * directly; the engine reads policies fresh on every signal.
 */
export async function updatePolicy(db: Database, engine: WorkflowEngine, input: UpdatePolicyInput): Promise<PolicyRecord> {
  const { workspaceId, policyId, actorId, ...changes } = input;
  const existing = (await engine.listPolicies(workspaceId)).find((policy) => policy.id === policyId);
  if (!existing) throw new AppError('NOT_FOUND', `Policy ${policyId} not found`);
  if (changes.workflowId !== undefined) await engine.getWorkflow(workspaceId, changes.workflowId);
  const data = definedOnly(changes);
  if (data.name !== undefined && data.name !== existing.name) {
    const clash = await db.prisma.remediationPolicy.findFirst({ where: { workspaceId, name: data.name }, select: { id: true } });
    if (clash) throw new AppError('CONFLICT', `A policy named "${data.name}" already exists`);
  }
  await db.prisma.$transaction([
    db.prisma.remediationPolicy.updateMany({ where: { id: policyId, workspaceId }, data }),
    db.prisma.auditLog.create({
      data: { workspaceId, actorType: 'user', actorId, action: 'policy.update', targetType: 'RemediationPolicy', targetId: policyId, data: JSON.parse(JSON.stringify(data)) as object },
    }),
  ]);
  const updated = (await engine.listPolicies(workspaceId)).find((policy) => policy.id === policyId);
  if (!updated) throw new AppError('NOT_FOUND', `Policy ${policyId} not found`);
  return updated;
}

/** Whether automatic runs are stopped in the workspace. */
export async function readKillSwitch(db: Database, workspaceId: string): Promise<boolean> {
  const workspace = await db.prisma.workspace.findUnique({ where: { id: workspaceId }, select: { killSwitch: true } });
  return workspace?.killSwitch ?? false;
}
