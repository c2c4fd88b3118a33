import { AppError } from '../errors';
import { notifyWorkAvailable, now, publishEvents, type EngineContext } from './engine-context';
import type { ApprovalRecord } from './ports';
import { advanceRun, isRunFinished } from './run-lifecycle';

/**
 * A human decision on an approval. `userId` is the authenticated person the
 * API resolved from the session or API key; no agent or chat path calls this.
 */
export interface DecideApprovalInput {
  workspaceId: string;
  approvalId: string;
  decision: 'approved' | 'rejected';
  userId: string;
  note?: string;
  /** The version the person saw; a stale version is refused with CONFLICT. */
  expectedVersion?: number;
}

/** Moves the waiting step on with the decision and schedules what follows (the `rejected` branch or the run's end). */
async function resumeApprovalStep(context: EngineContext, approval: ApprovalRecord): Promise<void> {
  if (!approval.runId || !approval.stepId) return;
  const stepId = approval.stepId;
  const events = await context.deps.store.withRunLock(approval.runId, async (transaction) => {
    const step = transaction.steps.find((candidate) => candidate.id === stepId);
    if (!step || step.status !== 'waiting' || isRunFinished(transaction.run)) return [];
    const at = now(context);
    const output = { approvalId: approval.id, decision: approval.status, decidedById: approval.decidedById, decidedAt: approval.decidedAt?.toISOString() ?? null, note: approval.decisionNote };
    await transaction.updateStep(step.id, { status: 'succeeded', output, finishedAt: at });
    const stillWaiting = transaction.steps.some((candidate) => candidate.status === 'waiting');
    if (!stillWaiting) await transaction.updateRun({ status: 'running' });
    const stepEnd = await transaction.appendEvent({
      id: context.deps.ids.next('event'), type: 'step-end',
      payload: { stepId: step.id, nodeId: step.nodeId, status: 'succeeded', decision: approval.status }, createdAt: at,
    });
    return [stepEnd, ...(await advanceRun(context, transaction))];
  });
  await publishEvents(context, events);
  notifyWorkAvailable(context);
}

/**
 * Approves or rejects a pending approval with compare-and-swap on its
 * version: a second decision (double approval, or approve racing reject)
 * gets CONFLICT, and an expired approval can no longer be approved.
 */
export async function decideApproval(context: EngineContext, input: DecideApprovalInput): Promise<ApprovalRecord> {
  const { store } = context.deps;
  if (input.userId.trim() === '') throw new AppError('UNAUTHORIZED', 'An approval needs an authenticated person');
  const approval = await store.findApproval(input.workspaceId, input.approvalId);
  if (!approval) throw new AppError('NOT_FOUND', `Approval ${input.approvalId} not found`);
  if (approval.status !== 'pending') throw new AppError('CONFLICT', `Approval ${approval.id} is already ${approval.status}`);
  const at = now(context);
  if (approval.expiresAt.getTime() <= at.getTime()) {
    await expireApproval(context, approval);
    throw new AppError('CONFLICT', `Approval ${approval.id} expired at ${approval.expiresAt.toISOString()}`);
  }
  const decided = await store.transitionApproval({
    approvalId: approval.id, expectedVersion: input.expectedVersion ?? approval.version, status: input.decision,
    decidedById: input.userId, decidedAt: at, note: input.note ?? null,
  });
  if (!decided) throw new AppError('CONFLICT', `Approval ${approval.id} was decided by someone else or changed since version ${input.expectedVersion ?? approval.version}`);
  await store.appendAudit({
    workspaceId: input.workspaceId, actorType: 'user', actorId: input.userId, action: `approval.${input.decision}`,
    targetType: 'Approval', targetId: approval.id, data: { runId: approval.runId, note: input.note ?? null }, createdAt: at,
  });
  await resumeApprovalStep(context, decided);
  return decided;
}

async function expireApproval(context: EngineContext, approval: ApprovalRecord): Promise<ApprovalRecord | null> {
  const expired = await context.deps.store.transitionApproval({
    approvalId: approval.id, expectedVersion: approval.version, status: 'expired', decidedById: null, decidedAt: now(context), note: 'expired',
  });
  if (expired) {
    await context.deps.store.appendAudit({
      workspaceId: approval.workspaceId, actorType: 'system', actorId: null, action: 'approval.expired',
      targetType: 'Approval', targetId: approval.id, data: { runId: approval.runId }, createdAt: now(context),
    });
    await resumeApprovalStep(context, expired);
  }
  return expired;
}

/** Expires pending approvals past their expiry; their runs take the rejected path. Returns how many expired. */
export async function expireApprovals(context: EngineContext, limit = 100): Promise<number> {
  const due = await context.deps.store.listExpiredApprovals({ now: now(context), limit });
  let count = 0;
  for (const approval of due) if (await expireApproval(context, approval)) count += 1;
  return count;
}
