import { AppError } from '../errors';
import type { TriggerNode, WorkflowDefinition } from './definition';
import { loadRunDefinition, notifyWorkAvailable, now, publishEvents, type EngineContext } from './engine-context';
import type { NewStep, RunEventRecord, RunMode, RunRecord, RunTransaction, RunTrigger } from './ports';
import { finishedStepStatuses, planRunAdvance, type RunCompletion } from './run-advance';

/** Starting a run. `idempotencyKey` makes a repeated start (a retried request, a second worker) return the first run. */
export interface StartRunInput {
  workspaceId: string;
  workflowId: string;
  input?: Record<string, unknown>;
  /** Which kind of trigger fired; picks the trigger node unless `triggerNodeId` is given. */
  triggerType?: RunTrigger['type'];
  triggerNodeId?: string;
  mode?: RunMode;
  policyId?: string;
  scheduleId?: string;
  signalId?: string;
  idempotencyKey?: string;
  createdById?: string | null;
}

function pickTriggerNode(definition: WorkflowDefinition, input: StartRunInput): TriggerNode {
  const triggers = definition.nodes.filter((node): node is TriggerNode => node.kind === 'trigger');
  const chosen = input.triggerNodeId
    ? triggers.find((node) => node.id === input.triggerNodeId)
    : (triggers.find((node) => node.trigger.type === (input.triggerType ?? 'manual')) ?? triggers[0]);
  if (!chosen) throw new AppError('BAD_REQUEST', `Workflow ${input.workflowId} has no trigger node ${input.triggerNodeId ?? ''}`.trim());
  return chosen;
}

function buildSteps(context: EngineContext, definition: WorkflowDefinition, runId: string, input: { workspaceId: string; triggerNodeId: string; at: Date }): NewStep[] {
  return definition.nodes.map((node) => ({
    id: context.deps.ids.next('step'),
    runId,
    workspaceId: input.workspaceId,
    nodeId: node.id,
    status: node.id === input.triggerNodeId ? 'ready' : node.kind === 'trigger' ? 'skipped' : 'pending',
    availableAt: input.at,
    // Stable per (run, node): every attempt and every reclaim of the step hands the same key to its action.
    idempotencyKey: `${runId}:${node.id}`,
  }));
}

/** Creates a run at the workflow's current version with one step per node; the trigger step is ready at once. */
export async function startRun(context: EngineContext, input: StartRunInput): Promise<RunRecord> {
  const { store } = context.deps;
  const workflow = await store.findWorkflow(input.workspaceId, input.workflowId);
  if (!workflow) throw new AppError('NOT_FOUND', `Workflow ${input.workflowId} not found`);
  if (!workflow.enabled) throw new AppError('PRECONDITION_FAILED', `Workflow ${workflow.id} is disabled`);
  const mode = input.mode ?? 'direct';
  if (mode === 'auto' && (await store.readKillSwitch(input.workspaceId))) {
    throw new AppError('PRECONDITION_FAILED', `Workspace ${input.workspaceId} has its kill switch on: automatic runs are refused`);
  }
  const runId = context.deps.ids.next('run');
  const at = now(context);
  const draft: RunRecord = {
    id: runId, workspaceId: input.workspaceId, workflowId: workflow.id, workflowVersion: workflow.currentVersion, status: 'pending',
    trigger: { type: 'manual', nodeId: '', mode }, input: input.input ?? {}, output: null, error: null, idempotencyKey: input.idempotencyKey ?? null,
    lastSeq: 0, cancelRequestedAt: null, createdById: input.createdById ?? null, createdAt: at, startedAt: null, finishedAt: null,
  };
  const definition = await loadRunDefinition(context, draft);
  const triggerNode = pickTriggerNode(definition, input);
  const trigger: RunTrigger = {
    type: input.triggerType ?? triggerNode.trigger.type, nodeId: triggerNode.id, mode,
    ...(input.policyId ? { policyId: input.policyId } : {}),
    ...(input.scheduleId ? { scheduleId: input.scheduleId } : {}),
    ...(input.signalId ? { signalId: input.signalId } : {}),
  };
  const result = await store.insertRun({
    run: { ...draft, trigger },
    steps: buildSteps(context, definition, runId, { workspaceId: input.workspaceId, triggerNodeId: triggerNode.id, at }),
    event: { id: context.deps.ids.next('event'), type: 'run-start', payload: { workflowId: workflow.id, workflowVersion: workflow.currentVersion, trigger }, createdAt: at },
  });
  if (result.event) await publishEvents(context, [result.event]);
  if (result.created) notifyWorkAvailable(context);
  return result.run;
}

/** Marks the run finished and appends run-end. Call inside the run lock. */
export async function finishRun(transaction: RunTransaction, completion: RunCompletion, context: EngineContext): Promise<RunEventRecord> {
  const at = now(context);
  await transaction.updateRun({ status: completion.status, output: completion.output, error: completion.error, finishedAt: at });
  return transaction.appendEvent({ id: context.deps.ids.next('event'), type: 'run-end', payload: { status: completion.status, error: completion.error }, createdAt: at });
}

/** Schedules successors of finished steps and finishes the run when nothing is left. Call inside the run lock. */
export async function advanceRun(context: EngineContext, transaction: RunTransaction): Promise<RunEventRecord[]> {
  const definition = await loadRunDefinition(context, transaction.run);
  const plan = planRunAdvance(definition, transaction.steps, now(context));
  for (const transition of plan.transitions) {
    await transaction.updateStep(transition.stepId, {
      status: transition.status,
      availableAt: transition.availableAt,
      ...(transition.status === 'skipped' ? { finishedAt: now(context) } : {}),
    });
  }
  return plan.completion ? [await finishRun(transaction, plan.completion, context)] : [];
}

/** Cancels every open step of the run. Call inside the run lock. */
export async function cancelOpenSteps(transaction: RunTransaction, at: Date): Promise<string[]> {
  const cancelled: string[] = [];
  for (const step of transaction.steps) {
    if (finishedStepStatuses.has(step.status)) continue;
    await transaction.updateStep(step.id, { status: 'cancelled', leaseOwner: null, leaseExpiresAt: null, finishedAt: at });
    cancelled.push(step.id);
  }
  return cancelled;
}

/** Whether a run can no longer change. */
export function isRunFinished(run: RunRecord): boolean {
  return run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled';
}

/**
 * Cancels a run: open steps become cancelled, steps running in this process
 * see their AbortSignal fire at once, and steps on other workers see it at
 * their next lease renewal. Pending approvals of the run expire.
 */
export async function cancelRun(context: EngineContext, input: { workspaceId: string; runId: string; actorId: string | null; reason?: string }): Promise<RunRecord> {
  const { store } = context.deps;
  const existing = await store.findRun(input.workspaceId, input.runId);
  if (!existing) throw new AppError('NOT_FOUND', `Run ${input.runId} not found`);
  const at = now(context);
  const outcome = await store.withRunLock(input.runId, async (transaction) => {
    if (isRunFinished(transaction.run)) throw new AppError('CONFLICT', `Run ${input.runId} already ${transaction.run.status}`);
    const error = input.reason ?? `Cancelled by ${input.actorId ?? 'system'}`;
    await transaction.updateRun({ status: 'cancelled', cancelRequestedAt: at, finishedAt: at, error });
    const stepIds = await cancelOpenSteps(transaction, at);
    const event = await transaction.appendEvent({ id: context.deps.ids.next('event'), type: 'run-end', payload: { status: 'cancelled', error }, createdAt: at });
    return { stepIds, event, run: transaction.run };
  });
  for (const stepId of outcome.stepIds) context.runningSteps.get(stepId)?.controller.abort(new AppError('CONFLICT', `Run ${input.runId} was cancelled`));
  for (const approval of await store.listApprovals({ workspaceId: input.workspaceId, runId: input.runId, status: 'pending' })) {
    await store.transitionApproval({ approvalId: approval.id, expectedVersion: approval.version, status: 'expired', decidedById: null, decidedAt: at, note: 'run cancelled' });
  }
  await store.appendAudit({ workspaceId: input.workspaceId, actorType: input.actorId ? 'user' : 'system', actorId: input.actorId, action: 'workflow-run.cancel', targetType: 'WorkflowRun', targetId: input.runId, data: {}, createdAt: at });
  await publishEvents(context, [outcome.event]);
  return outcome.run;
}
