import { AppError } from '../errors';
import { decideApproval, expireApprovals, type DecideApprovalInput } from './approvals';
import { createEngineContext, type EngineContext, type WorkflowEngineDeps } from './engine-context';
import type { ApprovalRecord, ApprovalStatus, PolicyRecord, RunEventRecord, RunMode, RunRecord, RunStatus, StepRecord, WorkflowRecord } from './ports';
import { handleSignal, setKillSwitch, type RemediationDecision, type RemediationSignal } from './remediation';
import { cancelRun, startRun, type StartRunInput } from './run-lifecycle';
import { tickSchedules } from './schedules';
import { claimNextStep, executeStep, type ClaimedStep, type StepOutcome } from './step-runner';
import { createWorkflow, getWorkflow, updateWorkflow, type CreateWorkflowInput, type UpdateWorkflowInput, type WorkflowWithDefinition } from './workflow-catalog';

/** A new remediation policy; defaults follow the safe side (suggest, 0.8 confidence, 3 runs per hour). */
export interface CreatePolicyInput {
  workspaceId: string;
  name: string;
  match: PolicyRecord['match'];
  workflowId: string;
  mode?: 'suggest' | 'auto';
  minConfidence?: number;
  maxRunsPerWindow?: number;
  windowMinutes?: number;
}

/**
 * The durable workflow engine: one facade over single-purpose pieces
 * (catalog, run lifecycle, step runner, approvals, remediation, schedules),
 * all state in the WorkflowStore and every resource injected. Any number of
 * engines in any number of processes may share one database.
 */
export class WorkflowEngine {
  private readonly context: EngineContext;

  constructor(deps: WorkflowEngineDeps) {
    this.context = createEngineContext(deps);
  }

  /** Calls `listener` when a step of this process's making may be ready (run started, approval decided). Returns the unsubscribe. */
  onWorkAvailable(listener: () => void): () => void {
    this.context.workListeners.add(listener);
    return () => this.context.workListeners.delete(listener);
  }

  /** Validates and stores a workflow as version 1; cron triggers get schedules. */
  createWorkflow(input: CreateWorkflowInput): Promise<WorkflowWithDefinition> {
    return createWorkflow(this.context, input);
  }

  /** Stores a new version (runs already started keep theirs) or changes name, flags or enablement. */
  updateWorkflow(input: UpdateWorkflowInput): Promise<WorkflowWithDefinition> {
    return updateWorkflow(this.context, input);
  }

  getWorkflow(workspaceId: string, workflowId: string): Promise<WorkflowWithDefinition> {
    return getWorkflow(this.context, workspaceId, workflowId);
  }

  listWorkflows(workspaceId: string): Promise<WorkflowRecord[]> {
    return this.context.deps.store.listWorkflows(workspaceId);
  }

  /** Starts a run at the workflow's current version; the same idempotency key returns the same run. */
  startRun(input: StartRunInput): Promise<RunRecord> {
    return startRun(this.context, input);
  }

  /** Cancels a run; running steps see their AbortSignal fire. CONFLICT when it already finished. */
  cancelRun(input: { workspaceId: string; runId: string; actorId: string | null; reason?: string }): Promise<RunRecord> {
    return cancelRun(this.context, input);
  }

  /** A run with its steps, scoped to the workspace. */
  async getRun(workspaceId: string, runId: string): Promise<{ run: RunRecord; steps: StepRecord[] }> {
    const run = await this.context.deps.store.findRun(workspaceId, runId);
    if (!run) throw new AppError('NOT_FOUND', `Run ${runId} not found`);
    return { run, steps: await this.context.deps.store.listSteps(run.id) };
  }

  listRuns(input: { workspaceId: string; workflowId?: string; status?: RunStatus[]; mode?: RunMode; limit?: number }): Promise<RunRecord[]> {
    return this.context.deps.store.listRuns({ ...input, limit: input.limit ?? 50 });
  }

  /** Durable events after `afterSeq`, for back-filling a live subscription. */
  async listRunEvents(workspaceId: string, runId: string, afterSeq = 0): Promise<RunEventRecord[]> {
    await this.getRun(workspaceId, runId);
    return this.context.deps.store.listRunEvents(runId, afterSeq);
  }

  /** Leases one ready (or lease-expired) step to `workerId` for `leaseMs`. */
  claimNextStep(workerId: string, leaseMs: number): Promise<ClaimedStep | null> {
    return claimNextStep(this.context, workerId, leaseMs);
  }

  executeStep(claimed: ClaimedStep): Promise<StepOutcome> {
    return executeStep(this.context, claimed);
  }

  /** Claims and executes one step; null when nothing is ready. */
  async runNextStep(workerId: string, leaseMs = 30_000): Promise<StepOutcome | null> {
    const claimed = await this.claimNextStep(workerId, leaseMs);
    return claimed ? this.executeStep(claimed) : null;
  }

  /** Runs ready steps one after another until none is ready (tests, scripts). Returns how many ran. */
  async drain(workerId: string, options: { leaseMs?: number; maxSteps?: number } = {}): Promise<number> {
    let count = 0;
    while (count < (options.maxSteps ?? 10_000) && (await this.runNextStep(workerId, options.leaseMs)) !== null) count += 1;
    return count;
  }

  /**
   * The only way an approval is granted or refused: called by the API for an
   * authenticated person. No agent, tool or chat path leads here.
   */
  decideApproval(input: DecideApprovalInput): Promise<ApprovalRecord> {
    return decideApproval(this.context, input);
  }

  expireApprovals(limit?: number): Promise<number> {
    return expireApprovals(this.context, limit);
  }

  listApprovals(input: { workspaceId: string; status?: ApprovalStatus; runId?: string }): Promise<ApprovalRecord[]> {
    return this.context.deps.store.listApprovals(input);
  }

  /** Offers an anomaly or incident to the remediation policies. */
  handleSignal(input: { workspaceId: string; signal: RemediationSignal }): Promise<RemediationDecision[]> {
    return handleSignal(this.context, input);
  }

  setKillSwitch(input: { workspaceId: string; enabled: boolean; actorId: string }): Promise<{ cancelledRunIds: string[] }> {
    return setKillSwitch(this.context, input);
  }

  async createPolicy(input: CreatePolicyInput): Promise<PolicyRecord> {
    const workflow = await this.context.deps.store.findWorkflow(input.workspaceId, input.workflowId);
    if (!workflow) throw new AppError('NOT_FOUND', `Workflow ${input.workflowId} not found`);
    return this.context.deps.store.createPolicy({
      id: this.context.deps.ids.next('policy'), workspaceId: input.workspaceId, name: input.name, match: input.match, workflowId: workflow.id,
      mode: input.mode ?? 'suggest', minConfidence: input.minConfidence ?? 0.8, maxRunsPerWindow: input.maxRunsPerWindow ?? 3,
      windowMinutes: input.windowMinutes ?? 60, enabled: true, now: this.context.deps.clock.now(),
    });
  }

  listPolicies(workspaceId: string): Promise<PolicyRecord[]> {
    return this.context.deps.store.listPolicies(workspaceId);
  }

  /** Starts the cron runs due at `now` (default: the clock) exactly once, even with several workers ticking; returns their run ids. */
  tickSchedules(now?: Date, limit?: number): Promise<string[]> {
    return tickSchedules(this.context, { ...(now ? { now } : {}), ...(limit ? { limit } : {}) });
  }
}
