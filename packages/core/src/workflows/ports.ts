import type { WorkflowDefinition } from './definition';

export type RunStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'ready' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';
export type RunEventType = 'run-start' | 'step-start' | 'step-end' | 'step-retry' | 'approval-request' | 'run-end';

/**
 * How a run was started. `direct`: as written (a person, the API, a schedule);
 * `suggest`: a remediation policy started it behind an approval gate;
 * `auto`: a policy started it without a human.
 */
export type RunMode = 'direct' | 'suggest' | 'auto';

export interface RunTrigger {
  type: 'manual' | 'cron' | 'anomaly' | 'incident' | 'webhook';
  /** The trigger node the run started from. */
  nodeId: string;
  mode: RunMode;
  policyId?: string;
  scheduleId?: string;
  /** Anomaly or incident id for signal triggers. */
  signalId?: string;
}

export interface WorkflowRecord {
  id: string;
  workspaceId: string;
  key: string;
  name: string;
  description: string;
  currentVersion: number;
  enabled: boolean;
  reversible: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface WorkflowVersionRecord {
  workflowId: string;
  version: number;
  definition: WorkflowDefinition;
  createdById: string | null;
  createdAt: Date;
}

export interface RunRecord {
  id: string;
  workspaceId: string;
  workflowId: string;
  workflowVersion: number;
  status: RunStatus;
  trigger: RunTrigger;
  input: Record<string, unknown>;
  output: unknown;
  error: string | null;
  idempotencyKey: string | null;
  lastSeq: number;
  cancelRequestedAt: Date | null;
  createdById: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface StepRecord {
  id: string;
  runId: string;
  workspaceId: string;
  nodeId: string;
  status: StepStatus;
  attempt: number;
  input: unknown;
  output: unknown;
  error: string | null;
  availableAt: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  idempotencyKey: string;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface ApprovalRecord {
  id: string;
  workspaceId: string;
  runId: string | null;
  stepId: string | null;
  title: string;
  summary: string;
  payload: Record<string, unknown>;
  status: ApprovalStatus;
  /** Incremented on every transition; transitions compare-and-swap on it. */
  version: number;
  requestedBy: string | null;
  decidedById: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  expiresAt: Date;
  createdAt: Date;
}

export interface RunEventRecord {
  id: string;
  runId: string;
  workspaceId: string;
  seq: number;
  type: RunEventType;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface PolicyRecord {
  id: string;
  workspaceId: string;
  name: string;
  match: { kind?: 'anomaly' | 'incident'; metric?: string; severity?: 'info' | 'warning' | 'critical'; labels?: Record<string, string> };
  workflowId: string;
  mode: 'suggest' | 'auto';
  minConfidence: number;
  maxRunsPerWindow: number;
  windowMinutes: number;
  enabled: boolean;
}

export interface ScheduleRecord {
  id: string;
  workspaceId: string;
  workflowId: string;
  nodeId: string;
  cron: string;
  timezone: string;
  nextRunAt: Date;
  lastRunAt: Date | null;
  enabled: boolean;
}

export type NewRun = Omit<RunRecord, 'lastSeq' | 'output' | 'error' | 'cancelRequestedAt' | 'startedAt' | 'finishedAt' | 'status'>;
export type NewStep = Pick<StepRecord, 'id' | 'runId' | 'workspaceId' | 'nodeId' | 'status' | 'availableAt' | 'idempotencyKey'>;
export type NewRunEvent = Pick<RunEventRecord, 'id' | 'type' | 'payload' | 'createdAt'>;
export type StepPatch = Partial<Pick<StepRecord, 'status' | 'attempt' | 'input' | 'output' | 'error' | 'availableAt' | 'leaseOwner' | 'leaseExpiresAt' | 'startedAt' | 'finishedAt'>>;
export type RunPatch = Partial<Pick<RunRecord, 'status' | 'output' | 'error' | 'startedAt' | 'finishedAt' | 'cancelRequestedAt'>>;

/**
 * One run, locked for the duration of a callback (in SQL: the run row is
 * `SELECT ... FOR UPDATE`d), so that concurrent step completions of the same
 * run (parallel branches on two workers) serialise and a join sees both.
 */
export interface RunTransaction {
  readonly run: RunRecord;
  readonly steps: readonly StepRecord[];
  updateRun(patch: RunPatch): Promise<void>;
  updateStep(stepId: string, patch: StepPatch): Promise<void>;
  /** Appends an event with the next per-run seq. */
  appendEvent(event: NewRunEvent): Promise<RunEventRecord>;
  insertApproval(approval: Omit<ApprovalRecord, 'version' | 'decidedById' | 'decidedAt' | 'decisionNote'>): Promise<ApprovalRecord>;
}

export interface AuditEntry {
  workspaceId: string;
  actorType: 'user' | 'system' | 'policy';
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Durable state of the workflow engine. `@opspilot/db` implements it with
 * SQL on PGlite and PostgreSQL. Every time is passed in (the engine's clock),
 * never read from the database, so tests control it.
 */
export interface WorkflowStore {
  createWorkflow(input: { id: string; versionId: string; workspaceId: string; key: string; name: string; description: string; reversible: boolean; definition: WorkflowDefinition; createdById: string | null; now: Date }): Promise<WorkflowRecord>;
  /** Stores `definition` (when given) as version currentVersion + 1. */
  updateWorkflow(input: { workspaceId: string; workflowId: string; versionId: string; name?: string; description?: string; reversible?: boolean; enabled?: boolean; definition?: WorkflowDefinition; createdById: string | null; now: Date }): Promise<WorkflowRecord>;
  findWorkflow(workspaceId: string, workflowId: string): Promise<WorkflowRecord | null>;
  listWorkflows(workspaceId: string): Promise<WorkflowRecord[]>;
  findWorkflowVersion(workflowId: string, version: number): Promise<WorkflowVersionRecord | null>;

  /** Inserts run, steps and the first event; with an idempotency key already used, returns that run and `created: false`. */
  insertRun(input: { run: NewRun; steps: NewStep[]; event: NewRunEvent }): Promise<{ run: RunRecord; created: boolean; event: RunEventRecord | null }>;
  findRun(workspaceId: string | null, runId: string): Promise<RunRecord | null>;
  listRuns(input: { workspaceId: string; workflowId?: string; status?: RunStatus[]; mode?: RunMode; limit: number }): Promise<RunRecord[]>;
  listSteps(runId: string): Promise<StepRecord[]>;
  listRunEvents(runId: string, afterSeq: number): Promise<RunEventRecord[]>;
  /** Runs a policy started (any mode) since `since`. */
  countPolicyRuns(input: { policyId: string; mode: RunMode; since: Date }): Promise<number>;
  withRunLock<T>(runId: string, work: (transaction: RunTransaction) => Promise<T>): Promise<T>;

  /**
   * Atomically claims one step: a `ready` step whose availableAt has passed,
   * or a `running` step whose lease expired (its worker died). Sets status
   * running, attempt + 1, the lease owner and expiry. Uses SKIP LOCKED.
   */
  claimNextStep(input: { workerId: string; leaseMs: number; now: Date }): Promise<StepRecord | null>;
  /** Extends the lease; false when the step is no longer running under this worker (cancelled or reclaimed). */
  renewLease(input: { stepId: string; workerId: string; leaseExpiresAt: Date }): Promise<boolean>;

  findApproval(workspaceId: string, approvalId: string): Promise<ApprovalRecord | null>;
  listApprovals(input: { workspaceId: string; status?: ApprovalStatus; runId?: string }): Promise<ApprovalRecord[]>;
  /** Compare-and-swap: applies only when the approval is still `pending` at `expectedVersion`; null otherwise. */
  transitionApproval(input: { approvalId: string; expectedVersion: number; status: Exclude<ApprovalStatus, 'pending'>; decidedById: string | null; decidedAt: Date; note: string | null }): Promise<ApprovalRecord | null>;
  listExpiredApprovals(input: { now: Date; limit: number }): Promise<ApprovalRecord[]>;

  listPolicies(workspaceId: string): Promise<PolicyRecord[]>;
  createPolicy(policy: PolicyRecord & { now: Date }): Promise<PolicyRecord>;
  readKillSwitch(workspaceId: string): Promise<boolean>;
  writeKillSwitch(workspaceId: string, enabled: boolean): Promise<void>;

  /** Replaces the workflow's schedules with `schedules` (one per cron trigger node). */
  replaceSchedules(input: { workspaceId: string; workflowId: string; schedules: Omit<ScheduleRecord, 'lastRunAt' | 'enabled'>[] }): Promise<void>;
  listDueSchedules(input: { now: Date; limit: number }): Promise<ScheduleRecord[]>;
  /** Compare-and-swap on nextRunAt so two workers advance a schedule once. */
  advanceSchedule(input: { scheduleId: string; expectedNextRunAt: Date; nextRunAt: Date; lastRunAt: Date }): Promise<boolean>;

  appendAudit(entry: AuditEntry): Promise<void>;
}
