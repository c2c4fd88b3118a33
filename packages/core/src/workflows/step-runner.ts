import { AppError } from '../errors';
import { NonRetryableError, isRetryableError } from './actions';
import type { ApprovalNode, WorkflowDefinition, WorkflowNode } from './definition';
import { loadRunDefinition, now, publishEvents, type EngineContext } from './engine-context';
import { evaluateExpression, type ExpressionScope } from './expression-evaluator';
import { buildGraph } from './graph';
import type { RunEventRecord, RunRecord, RunTransaction, StepRecord } from './ports';
import { computeBackoffMs, resolveRetryPolicy } from './retry';
import { advanceRun, cancelOpenSteps, finishRun, isRunFinished } from './run-lifecycle';
import { resolveTemplates } from './template';

/** A step this worker holds a lease on. */
export interface ClaimedStep {
  step: StepRecord;
  workerId: string;
  leaseMs: number;
}

/** Reclaims after lost leases allowed on top of the node's retry attempts. */
const crashReclaimAllowance = 3;

/** What executing a claimed step led to. `lost`: the lease went to another worker or the run was cancelled. */
export type StepOutcome = 'succeeded' | 'retrying' | 'failed' | 'waiting' | 'lost';

/** Why a step's AbortSignal fired. */
class StepAbort extends Error {
  constructor(readonly reason: 'timeout' | 'lease-lost', message: string) {
    super(message);
    this.name = 'StepAbort';
  }
}

interface StepContext {
  claimed: ClaimedStep;
  run: RunRecord;
  steps: StepRecord[];
  definition: WorkflowDefinition;
  node: WorkflowNode;
  /** The action's input after templates, kept on the step for the run detail. */
  resolvedInput?: unknown;
}

export async function claimNextStep(context: EngineContext, workerId: string, leaseMs: number): Promise<ClaimedStep | null> {
  const step = await context.deps.store.claimNextStep({ workerId, leaseMs, now: now(context) });
  return step ? { step, workerId, leaseMs } : null;
}

/** Runs `work` under the run lock only while this worker still holds the step's lease. */
async function withLease<T>(context: EngineContext, claimed: ClaimedStep, work: (transaction: RunTransaction) => Promise<T>): Promise<T | 'lost'> {
  return context.deps.store.withRunLock(claimed.step.runId, async (transaction) => {
    const current = transaction.steps.find((step) => step.id === claimed.step.id);
    const held = current?.status === 'running' && current.leaseOwner === claimed.workerId && current.attempt === claimed.step.attempt;
    if (!held || isRunFinished(transaction.run)) return 'lost' as const;
    return work(transaction);
  });
}

function buildScope(run: RunRecord, steps: readonly StepRecord[]): ExpressionScope {
  const nodes: Record<string, unknown> = {};
  for (const step of steps) {
    if (step.status === 'succeeded' || step.status === 'skipped') nodes[step.nodeId] = { output: step.output ?? null, status: step.status };
  }
  return { nodes, input: run.input, run: { id: run.id, workspaceId: run.workspaceId, workflowId: run.workflowId, input: run.input } };
}

function inputPatch(step: StepContext): { input?: unknown } {
  return step.resolvedInput === undefined ? {} : { input: toJson(step.resolvedInput) };
}

function toJson(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

async function beginStep(context: EngineContext, claimed: ClaimedStep): Promise<StepContext | 'lost'> {
  const begun = await withLease(context, claimed, async (transaction) => {
    if (transaction.run.status === 'pending') await transaction.updateRun({ status: 'running', startedAt: now(context) });
    const event = await transaction.appendEvent({
      id: context.deps.ids.next('event'), type: 'step-start',
      payload: { stepId: claimed.step.id, nodeId: claimed.step.nodeId, attempt: claimed.step.attempt, workerId: claimed.workerId }, createdAt: now(context),
    });
    return { run: { ...transaction.run }, steps: transaction.steps.map((step) => ({ ...step })), event };
  });
  if (begun === 'lost') return 'lost';
  await publishEvents(context, [begun.event]);
  const definition = await loadRunDefinition(context, begun.run);
  const node = definition.nodes.find((candidate) => candidate.id === claimed.step.nodeId);
  if (!node) throw new AppError('INTERNAL', `Run ${begun.run.id}: node ${claimed.step.nodeId} is not in its definition`);
  return { claimed, run: begun.run, steps: begun.steps, definition, node };
}

async function executeNode(context: EngineContext, step: StepContext, signal: AbortSignal): Promise<unknown> {
  const scope = buildScope(step.run, step.steps);
  const { node } = step;
  switch (node.kind) {
    case 'trigger':
      return step.run.input;
    case 'action': {
      const input = resolveTemplates(node.input, scope) as Record<string, unknown>;
      step.resolvedInput = input;
      return context.deps.invoker.invoke({
        workspaceId: step.run.workspaceId, tool: node.tool, input, idempotencyKey: step.claimed.step.idempotencyKey, runId: step.run.id, nodeId: node.id, signal,
      });
    }
    case 'condition':
      return { result: Boolean(evaluateExpression(node.expression, scope)) };
    case 'transform':
      return resolveTemplates(node.output, scope);
    case 'join': {
      const incoming = buildGraph(step.definition).incoming.get(node.id) ?? [];
      const taken = step.steps.filter((candidate) => candidate.status === 'succeeded' && incoming.some((edge) => edge.from === candidate.nodeId));
      return Object.fromEntries(taken.map((candidate) => [candidate.nodeId, candidate.output ?? null]));
    }
    case 'parallel':
      return { branches: (buildGraph(step.definition).outgoing.get(node.id) ?? []).map((edge) => edge.to) };
    case 'delay':
      return { delayedMs: node.durationMs };
    case 'approval':
      throw new AppError('INTERNAL', 'Approval nodes are not executed');
  }
}

/** Executes with a timeout, lease heartbeats and the in-process cancel handle; rejects when the signal fires. */
async function executeWithControls(context: EngineContext, step: StepContext): Promise<unknown> {
  const controller = new AbortController();
  const { claimed } = step;
  const timeoutMs = step.node.kind === 'action' ? (step.node.timeoutMs ?? context.deps.defaultStepTimeoutMs ?? 30_000) : undefined;
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new StepAbort('timeout', `Step ${step.node.id} timed out after ${timeoutMs} ms`)), timeoutMs);
  const heartbeat = setInterval(() => {
    const leaseExpiresAt = new Date(now(context).getTime() + claimed.leaseMs);
    context.deps.store.renewLease({ stepId: claimed.step.id, workerId: claimed.workerId, leaseExpiresAt }).then(
      (held) => {
        if (!held) controller.abort(new StepAbort('lease-lost', `Step ${step.node.id} lost its lease (cancelled or reclaimed)`));
      },
      (error: unknown) => context.logger.warn('lease renewal failed', { stepId: claimed.step.id, error: String(error) }),
    );
  }, Math.max(10, Math.floor(claimed.leaseMs / 3)));
  context.runningSteps.set(claimed.step.id, { runId: step.run.id, controller });
  const aborted = new Promise<never>((_resolve, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true });
  });
  try {
    // The race makes even an action that ignores its signal stop holding the step.
    return await Promise.race([executeNode(context, step, controller.signal), aborted]);
  } finally {
    clearTimeout(timer);
    clearInterval(heartbeat);
    context.runningSteps.delete(claimed.step.id);
  }
}

async function completeStep(context: EngineContext, step: StepContext, output: unknown): Promise<StepOutcome> {
  const events = await withLease(context, step.claimed, async (transaction) => {
    const at = now(context);
    // The output is written first; successors are scheduled from it in the same transaction.
    await transaction.updateStep(step.claimed.step.id, {
      status: 'succeeded', output: toJson(output), error: null, finishedAt: at, leaseOwner: null, leaseExpiresAt: null, ...inputPatch(step),
    });
    const stepEnd = await transaction.appendEvent({
      id: context.deps.ids.next('event'), type: 'step-end',
      payload: { stepId: step.claimed.step.id, nodeId: step.node.id, status: 'succeeded', attempt: step.claimed.step.attempt }, createdAt: at,
    });
    return [stepEnd, ...(await advanceRun(context, transaction))];
  });
  if (events === 'lost') return 'lost';
  await publishEvents(context, events);
  return 'succeeded';
}

async function failStep(context: EngineContext, step: StepContext, error: unknown): Promise<StepOutcome> {
  if (error instanceof StepAbort && error.reason === 'lease-lost') return 'lost';
  const message = error instanceof Error ? error.message : String(error);
  const policy = resolveRetryPolicy(step.node);
  const attempt = step.claimed.step.attempt;
  const retry = isRetryableError(error) && attempt < policy.maxAttempts;
  const result = await withLease(context, step.claimed, async (transaction) => {
    const at = now(context);
    const base = { id: context.deps.ids.next('event'), createdAt: at };
    if (retry) {
      const delayMs = computeBackoffMs(policy, attempt, context.random);
      const availableAt = new Date(at.getTime() + delayMs);
      await transaction.updateStep(step.claimed.step.id, { status: 'ready', error: message, availableAt, leaseOwner: null, leaseExpiresAt: null, ...inputPatch(step) });
      const event = await transaction.appendEvent({ ...base, type: 'step-retry', payload: { stepId: step.claimed.step.id, nodeId: step.node.id, attempt, delayMs, nextAttemptAt: availableAt.toISOString(), error: message } });
      return { outcome: 'retrying' as const, events: [event] };
    }
    await transaction.updateStep(step.claimed.step.id, { status: 'failed', error: message, finishedAt: at, leaseOwner: null, leaseExpiresAt: null, ...inputPatch(step) });
    const stepEnd = await transaction.appendEvent({ ...base, type: 'step-end', payload: { stepId: step.claimed.step.id, nodeId: step.node.id, status: 'failed', attempt, error: message } });
    await cancelOpenSteps(transaction, at);
    const runEnd = await finishRun(transaction, { status: 'failed', output: {}, error: `Step ${step.node.id} failed: ${message}` }, context);
    return { outcome: 'failed' as const, events: [stepEnd, runEnd] };
  });
  if (result === 'lost') return 'lost';
  await publishEvents(context, result.events);
  return result.outcome;
}

async function requestApproval(context: EngineContext, step: StepContext, node: ApprovalNode): Promise<StepOutcome> {
  const summary = resolveTemplates(node.summary, buildScope(step.run, step.steps));
  const events = await withLease(context, step.claimed, async (transaction): Promise<RunEventRecord[]> => {
    const at = now(context);
    const expiresAt = new Date(at.getTime() + node.expiresInMinutes * 60_000);
    const approval = await transaction.insertApproval({
      id: context.deps.ids.next('approval'), workspaceId: step.run.workspaceId, runId: step.run.id, stepId: step.claimed.step.id,
      title: node.title, summary: typeof summary === 'string' ? summary : JSON.stringify(summary), status: 'pending',
      payload: { nodeId: node.id, workflowId: step.run.workflowId, mode: step.run.trigger.mode }, requestedBy: `run:${step.run.id}`, expiresAt, createdAt: at,
    });
    await transaction.updateStep(step.claimed.step.id, { status: 'waiting', leaseOwner: null, leaseExpiresAt: null });
    await transaction.updateRun({ status: 'waiting' });
    return [await transaction.appendEvent({
      id: context.deps.ids.next('event'), type: 'approval-request',
      payload: { approvalId: approval.id, stepId: step.claimed.step.id, nodeId: node.id, title: approval.title, expiresAt: expiresAt.toISOString() }, createdAt: at,
    })];
  });
  if (events === 'lost') return 'lost';
  await publishEvents(context, events);
  return 'waiting';
}

/**
 * Executes one claimed step: step-start, the node's work under timeout and
 * lease heartbeats, then (in one run-locked transaction) the output and the
 * successors, or a retry with backoff, or the run's failure.
 */
export async function executeStep(context: EngineContext, claimed: ClaimedStep): Promise<StepOutcome> {
  const step = await beginStep(context, claimed);
  if (step === 'lost') return 'lost';
  const attemptLimit = resolveRetryPolicy(step.node).maxAttempts + crashReclaimAllowance;
  if (claimed.step.attempt > attemptLimit) {
    // A step that keeps killing its worker (or outliving its lease) must not be reclaimed forever.
    return failStep(context, step, new NonRetryableError(`Step ${step.node.id} was started ${claimed.step.attempt} times without finishing`));
  }
  if (step.node.kind === 'approval') return requestApproval(context, step, step.node);
  let output: unknown;
  try {
    output = await executeWithControls(context, step);
  } catch (error) {
    return failStep(context, step, error);
  }
  return completeStep(context, step, output);
}
