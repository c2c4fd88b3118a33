import type { LanguageModel } from 'ai';
import type { Clock, EventBus, IdGenerator, Logger } from '../ports';
import type { MetricFacts } from '../signals';
import type { DeltaCoalescing } from './delta-coalescer';
import type { AgentKindName, ChatEvent, ChatEventBody, JsonPatchOperation } from './events';

export interface ChatSessionRecord {
  id: string;
  workspaceId: string;
  title: string;
  createdById: string | null;
  lastSeq: number;
  createdAt: Date;
  updatedAt: Date;
}

export type ChatMessageRole = 'user' | 'assistant' | 'system' | 'tool';

export interface ChatMessageRecord {
  id: string;
  sessionId: string;
  workspaceId: string;
  role: ChatMessageRole;
  content: string;
  agentId: string | null;
  createdAt: Date;
}

/** Sessions, messages and the numbered event log of each session. */
export interface ChatRepository {
  createSession(input: { workspaceId: string; title: string; createdById: string | null }): Promise<ChatSessionRecord>;
  listSessions(workspaceId: string, page: { limit: number; cursor?: string }): Promise<ChatSessionRecord[]>;
  findSession(workspaceId: string, sessionId: string): Promise<ChatSessionRecord | null>;
  listMessages(workspaceId: string, sessionId: string, page: { limit: number }): Promise<ChatMessageRecord[]>;
  appendMessage(input: {
    workspaceId: string;
    sessionId: string;
    role: ChatMessageRole;
    content: string;
    agentId?: string | null;
  }): Promise<ChatMessageRecord>;
  /**
   * Stores one event with the session's next seq, incrementing
   * `ChatSession.lastSeq` atomically, and returns it numbered.
   */
  appendEvent(input: { workspaceId: string; sessionId: string; body: ChatEventBody; at: Date }): Promise<ChatEvent>;
  /** Events with seq > afterSeq in seq order, at most `limit`. */
  listEventsAfter(sessionId: string, afterSeq: number, limit: number): Promise<ChatEvent[]>;
}

/** One agent's per-workspace configuration (the Agent table). */
export interface AgentConfig {
  id: string;
  workspaceId: string;
  kind: AgentKindName;
  name: string;
  description: string;
  instructions: string;
  /** "<provider>:<model>"; null means the workspace default or the built-in reasoner. */
  model: string | null;
  /** Tool names or `<connector>__*` patterns the agent may call. */
  allowedTools: string[];
  enabled: boolean;
}

export type NewAgentConfig = Omit<AgentConfig, 'id' | 'workspaceId'>;

export interface AgentRepository {
  listAgents(workspaceId: string): Promise<AgentConfig[]>;
  /** Inserts the agents a workspace lacks (by name); existing ones are left alone. */
  insertMissingAgents(workspaceId: string, agents: NewAgentConfig[]): Promise<void>;
  updateAgent(
    workspaceId: string,
    agentId: string,
    patch: Partial<Pick<AgentConfig, 'instructions' | 'model' | 'allowedTools' | 'enabled' | 'description'>>,
  ): Promise<AgentConfig | null>;
}

export interface PlanInfo {
  key: string;
  name: string;
}

export interface CustomerRisk {
  customerId: string;
  name: string;
  /** Current MRR in cents. */
  mrr: number;
  reason: string;
}

export interface IncidentInfo {
  id: string;
  title: string;
  status: 'open' | 'acknowledged' | 'resolved';
  severity: string;
  metrics: string[];
  startedAt: Date;
  endedAt: Date | null;
}

export interface AnomalyInfo {
  metric: string;
  segment: string;
  windowStart: Date;
  windowEnd: Date;
  expected: number;
  actual: number;
  direction: 'up' | 'down';
  severity: string;
}

export interface DeployInfo {
  service: string;
  version: string;
  description: string;
  deployedAt: Date;
  rolledBack: boolean;
}

export interface WorkflowInfo {
  id: string;
  key: string;
  name: string;
  description: string;
  enabled: boolean;
}

/** Which optional fact lists a question needs (the MRR ledger is always loaded). */
export type FactKind = 'subscriptions' | 'invoices' | 'tickets' | 'customers' | 'points';

/** The workspace's business data, read only. Implemented over the database by the db package. */
export interface BusinessDataPort {
  /**
   * Facts for metrics over [from, to): the whole ledger up to `to`, the other
   * lists clipped to the range. `pointMetrics` names signal-series metrics
   * (`requests`, `errors`, `latency_ms@p50`, `latency_ms@p95`); the latency
   * ones come back as `latency_ms` points read from the stored p50/p95 series.
   */
  loadMetricFacts(workspaceId: string, input: { from: Date; to: Date; include: FactKind[]; pointMetrics?: string[] }): Promise<MetricFacts>;
  listPlans(workspaceId: string): Promise<PlanInfo[]>;
  readCustomerNames(workspaceId: string, customerIds: string[]): Promise<Map<string, string>>;
  listAtRiskCustomers(workspaceId: string, at: Date): Promise<CustomerRisk[]>;
  listIncidents(workspaceId: string, range: { from: Date; to: Date }): Promise<IncidentInfo[]>;
  listAnomalies(workspaceId: string, range: { from: Date; to: Date }): Promise<AnomalyInfo[]>;
  listDeploys(workspaceId: string, range: { from: Date; to: Date }): Promise<DeployInfo[]>;
  listWorkflows(workspaceId: string): Promise<WorkflowInfo[]>;
  /** The workspace-wide model ("provider:model") from its settings, if any. */
  readWorkspaceModel(workspaceId: string): Promise<string | null>;
}

/** A gateway tool as agents see it. */
export interface AgentTool {
  /** `<connector>__<tool>`. */
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  /** Only tools that declare readOnlyHint run without a person's approval. */
  readOnly: boolean;
}

export interface ToolGatewayPort {
  listTools(workspaceId: string): Promise<AgentTool[]>;
  callTool(input: {
    workspaceId: string;
    tool: string;
    args: Record<string, unknown>;
    sessionId: string;
    agent: AgentKindName;
    signal?: AbortSignal;
  }): Promise<{ isError: boolean; data: unknown }>;
}

/**
 * Creates pending Approval objects (the workflow engine decides them). Agents
 * only ever request; nothing in the chat path can approve.
 */
export interface ApprovalPort {
  requestApproval(input: {
    workspaceId: string;
    sessionId: string;
    title: string;
    summary: string;
    action: { kind: 'tool' | 'workflow'; name: string; args: Record<string, unknown> };
    requestedBy: string;
  }): Promise<{ approvalId: string }>;
}

/** The dashboard spec (experience domain): validated RFC 6902 patches. */
export interface ExperiencePort {
  applyPatch(input: {
    workspaceId: string;
    context: string;
    patch: JsonPatchOperation[];
    actorId: string | null;
  }): Promise<{ applied: boolean; version: number | null; error?: string }>;
  /** Plans a plain-language dashboard request against the current spec and applies it (when the service can). */
  applyRequest?(input: {
    workspaceId: string;
    context: string;
    request: string;
    actorId: string | null;
  }): Promise<{ applied: boolean; version: number | null; patch: JsonPatchOperation[]; summary: string; error?: string }>;
}

/** Turns "provider:model" into an AI SDK model; throws AppError BAD_REQUEST for unknown providers or missing keys. */
export interface ModelResolver {
  resolve(spec: string, workspaceId: string): Promise<LanguageModel>;
}

/** Per-turn limits; exceeding one ends the turn with an error event. */
export interface TurnBudgets {
  maxSteps: number;
  maxTokens: number;
  maxDurationMs: number;
}

export interface AgentDeps {
  chats: ChatRepository;
  agents: AgentRepository;
  data: BusinessDataPort;
  approvals: ApprovalPort;
  models: ModelResolver;
  bus: EventBus;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  tools?: ToolGatewayPort;
  experience?: ExperiencePort;
  /** Model used when neither the agent nor the workspace names one (e.g. from OPSPILOT_MODEL). */
  defaultModel?: string | null;
  budgets?: Partial<TurnBudgets>;
  /** How text deltas are joined before they are stored (default 50 ms / 512 characters; `windowMs: 0` stores each). */
  deltaCoalescing?: Partial<DeltaCoalescing>;
  /**
   * Widget metadata for a UI tool's result (null for other tools), so chat clients that host
   * the Apps widget can render the same panels as ChatGPT does.
   */
  describeUiToolResult?: (tool: string) => Promise<Record<string, unknown> | null>;
}
