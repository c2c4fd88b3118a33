import { isAppError } from '../errors';
import { now, type EngineContext } from './engine-context';
import type { PolicyRecord, RunMode } from './ports';
import { cancelRun, startRun } from './run-lifecycle';

const severityRank = { info: 0, warning: 1, critical: 2 } as const;

/** An anomaly or incident offered to the remediation policies. */
export interface RemediationSignal {
  kind: 'anomaly' | 'incident';
  id: string;
  metric: string;
  /** Incidents group several metrics; any of them may match. */
  metrics?: string[];
  severity: 'info' | 'warning' | 'critical';
  labels?: Record<string, string>;
  /** 0..1; auto mode needs at least the policy's minConfidence. */
  confidence: number;
}

export interface RemediationDecision {
  policyId: string;
  workflowId: string;
  mode: Exclude<RunMode, 'direct'>;
  reason: string;
  runId: string | null;
}

/** Whether a policy's `{metric, severity, labels}` match covers the signal (severity is a minimum). */
export function matchesPolicy(match: PolicyRecord['match'], signal: RemediationSignal): boolean {
  if (match.kind && match.kind !== signal.kind) return false;
  if (match.metric && match.metric !== signal.metric && !(signal.metrics ?? []).includes(match.metric)) return false;
  if (match.severity && severityRank[signal.severity] < severityRank[match.severity]) return false;
  return Object.entries(match.labels ?? {}).every(([key, value]) => signal.labels?.[key] === value);
}

async function chooseMode(context: EngineContext, policy: PolicyRecord, input: { reversible: boolean; killSwitch: boolean; confidence: number }): Promise<{ mode: 'auto' | 'suggest'; reason: string }> {
  if (policy.mode !== 'auto') return { mode: 'suggest', reason: 'the policy suggests' };
  if (input.killSwitch) return { mode: 'suggest', reason: 'the workspace kill switch is on' };
  if (!input.reversible) return { mode: 'suggest', reason: 'the workflow is not marked reversible' };
  if (input.confidence < policy.minConfidence) return { mode: 'suggest', reason: `confidence ${input.confidence} is below ${policy.minConfidence}` };
  const since = new Date(now(context).getTime() - policy.windowMinutes * 60_000);
  const recent = await context.deps.store.countPolicyRuns({ policyId: policy.id, mode: 'auto', since });
  if (recent >= policy.maxRunsPerWindow) return { mode: 'suggest', reason: `rate limit: ${recent} automatic runs in the last ${policy.windowMinutes} minutes` };
  return { mode: 'auto', reason: 'policy allows automatic remediation' };
}

async function applyPolicy(context: EngineContext, policy: PolicyRecord, input: { workspaceId: string; signal: RemediationSignal; killSwitch: boolean }): Promise<RemediationDecision | null> {
  const workflow = await context.deps.store.findWorkflow(input.workspaceId, policy.workflowId);
  if (!workflow?.enabled) return null;
  let choice = await chooseMode(context, policy, { reversible: workflow.reversible, killSwitch: input.killSwitch, confidence: input.signal.confidence });
  const start = (mode: RunMode) =>
    startRun(context, {
      workspaceId: input.workspaceId, workflowId: workflow.id, input: { signal: input.signal }, triggerType: input.signal.kind, mode,
      policyId: policy.id, signalId: input.signal.id, idempotencyKey: `policy:${policy.id}:${input.signal.kind}:${input.signal.id}`,
    });
  let run;
  try {
    run = await start(choice.mode);
  } catch (error) {
    // The kill switch may flip between the check and the start: fall back to a suggestion.
    if (!(isAppError(error) && error.code === 'PRECONDITION_FAILED' && choice.mode === 'auto')) throw error;
    choice = { mode: 'suggest', reason: 'the workspace kill switch is on' };
    run = await start('suggest');
  }
  await context.deps.store.appendAudit({
    workspaceId: input.workspaceId, actorType: 'policy', actorId: policy.id, action: `remediation.${choice.mode}`, targetType: 'WorkflowRun',
    targetId: run.id, data: { signal: input.signal, reason: choice.reason }, createdAt: now(context),
  });
  return { policyId: policy.id, workflowId: workflow.id, mode: choice.mode, reason: choice.reason, runId: run.id };
}

/**
 * Offers an anomaly or incident to the workspace's enabled policies. Each
 * match starts its workflow once per signal: in suggest mode (the default)
 * the run waits at an approval gate before any action; in auto mode only
 * when the workflow is reversible, the confidence is high enough, the
 * policy's rate window has room and the kill switch is off.
 */
export async function handleSignal(context: EngineContext, input: { workspaceId: string; signal: RemediationSignal }): Promise<RemediationDecision[]> {
  const policies = (await context.deps.store.listPolicies(input.workspaceId)).filter((policy) => policy.enabled && matchesPolicy(policy.match, input.signal));
  if (policies.length === 0) return [];
  const killSwitch = await context.deps.store.readKillSwitch(input.workspaceId);
  const decisions: RemediationDecision[] = [];
  for (const policy of policies) {
    const decision = await applyPolicy(context, policy, { ...input, killSwitch });
    if (decision) decisions.push(decision);
  }
  return decisions;
}

/** Turns the kill switch on or off. On: every active automatic run is cancelled and new ones are refused. */
export async function setKillSwitch(context: EngineContext, input: { workspaceId: string; enabled: boolean; actorId: string }): Promise<{ cancelledRunIds: string[] }> {
  const { store } = context.deps;
  await store.writeKillSwitch(input.workspaceId, input.enabled);
  await store.appendAudit({
    workspaceId: input.workspaceId, actorType: 'user', actorId: input.actorId, action: input.enabled ? 'kill-switch.on' : 'kill-switch.off',
    targetType: 'Workspace', targetId: input.workspaceId, data: {}, createdAt: now(context),
  });
  if (!input.enabled) return { cancelledRunIds: [] };
  const active = await store.listRuns({ workspaceId: input.workspaceId, status: ['pending', 'running', 'waiting'], mode: 'auto', limit: 10_000 });
  const cancelledRunIds: string[] = [];
  for (const run of active) {
    try {
      await cancelRun(context, { workspaceId: input.workspaceId, runId: run.id, actorId: input.actorId, reason: 'Stopped by the workspace kill switch' });
      cancelledRunIds.push(run.id);
    } catch (error) {
      if (!(isAppError(error) && error.code === 'CONFLICT')) throw error;
    }
  }
  return { cancelledRunIds };
}
