/**
 * Ports of the integrations domain. `@opspilot/db` implements them with
 * Prisma (packages/db/src/repositories/integration-store.ts).
 */

/** live: the vendor's API with the workspace's credentials; sandbox: the workspace's demo data. */
export type IntegrationMode = 'live' | 'sandbox';

/** One built-in connector installed in a workspace, as stored. */
export interface IntegrationRecord {
  id: string;
  workspaceId: string;
  provider: string;
  name: string;
  mode: IntegrationMode;
  enabled: boolean;
  /** AES-256-GCM ciphertext bound to `${workspaceId}:${id}`; never leaves the gateway. */
  secretCiphertext: string | null;
  config: Record<string, unknown>;
  disabledTools: string[];
  status: string;
  lastError: string | null;
  lastCheckedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An external MCP server a workspace added by URL, as stored. */
export interface McpServerRecord {
  id: string;
  workspaceId: string;
  name: string;
  url: string;
  /** Encrypted JSON object of request headers, bound to `${workspaceId}:${id}`. */
  headersCiphertext: string | null;
  enabled: boolean;
  disabledTools: string[];
  timeoutMs: number;
  status: string;
  lastError: string | null;
  lastCheckedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type CreateIntegrationRecord = Pick<
  IntegrationRecord,
  'id' | 'workspaceId' | 'provider' | 'name' | 'mode' | 'enabled' | 'secretCiphertext' | 'config' | 'disabledTools'
>;

export type IntegrationPatch = Partial<
  Pick<IntegrationRecord, 'mode' | 'enabled' | 'secretCiphertext' | 'config' | 'disabledTools' | 'status' | 'lastError' | 'lastCheckedAt'>
>;

export type CreateMcpServerRecord = Pick<
  McpServerRecord,
  'id' | 'workspaceId' | 'name' | 'url' | 'headersCiphertext' | 'enabled' | 'disabledTools' | 'timeoutMs'
>;

export type McpServerPatch = Partial<
  Pick<McpServerRecord, 'url' | 'headersCiphertext' | 'enabled' | 'disabledTools' | 'timeoutMs' | 'status' | 'lastError' | 'lastCheckedAt'>
>;

/** Every read and write is scoped by workspace id: a record of another workspace is never found. */
export interface IntegrationRepository {
  listIntegrations(workspaceId: string): Promise<IntegrationRecord[]>;
  findIntegration(workspaceId: string, integrationId: string): Promise<IntegrationRecord | null>;
  createIntegration(record: CreateIntegrationRecord): Promise<IntegrationRecord>;
  /** Returns null when no such integration exists in that workspace. */
  updateIntegration(workspaceId: string, integrationId: string, patch: IntegrationPatch): Promise<IntegrationRecord | null>;
  deleteIntegration(workspaceId: string, integrationId: string): Promise<boolean>;
  listMcpServers(workspaceId: string): Promise<McpServerRecord[]>;
  findMcpServer(workspaceId: string, serverId: string): Promise<McpServerRecord | null>;
  createMcpServer(record: CreateMcpServerRecord): Promise<McpServerRecord>;
  updateMcpServer(workspaceId: string, serverId: string, patch: McpServerPatch): Promise<McpServerRecord | null>;
  deleteMcpServer(workspaceId: string, serverId: string): Promise<boolean>;
}

export type ToolCallStatus = 'ok' | 'tool_error' | 'error' | 'timeout' | 'unavailable' | 'rate_limited' | 'forbidden' | 'deduplicated';

/** Who made a tool call. */
export interface ToolCallActor {
  type: 'user' | 'agent' | 'workflow' | 'api_key' | 'system';
  id: string | null;
  agentId?: string | null;
  runId?: string | null;
  sessionId?: string | null;
}

/** One audit row: never the arguments themselves, only their hash. */
export interface ToolCallAuditEntry {
  id: string;
  workspaceId: string;
  actor: ToolCallActor;
  server: string;
  tool: string;
  argsHash: string;
  status: ToolCallStatus;
  latencyMs: number;
  error: string | null;
  /** Set for write tools called with a key, so a repeat returns the first result. */
  idempotencyKey: string | null;
  /** The stored result of a successful write with an idempotency key; null otherwise. */
  result: unknown;
  createdAt: Date;
}

export interface ToolCallAuditRow extends Omit<ToolCallAuditEntry, 'result'> {
  result?: unknown;
}

export interface ListToolCallsQuery {
  limit: number;
  /** Rows created strictly before this instant (keyset pagination). */
  before?: Date;
  tool?: string;
  status?: ToolCallStatus;
}

/** One idempotency key of one tool in one workspace, held by the call `callId`. */
export interface IdempotencyKeyRef {
  workspaceId: string;
  tool: string;
  key: string;
  callId: string;
}

export interface ReserveIdempotencyKeyInput extends IdempotencyKeyRef {
  argsHash: string;
  now: Date;
  /** Until when the reservation holds; a pending key past it may be taken over (its holder died or hung). */
  leaseUntil: Date;
}

/**
 * The outcome of reserving a key: `reserved` means this call may act (a new
 * key, or a pending one whose lease ran out with the same arguments); `done`
 * carries the first call's stored result; `pending` means another call holds it.
 */
export type IdempotencyReservation =
  | { state: 'reserved' }
  | { state: 'done'; argsHash: string; result: unknown }
  | { state: 'pending'; argsHash: string; leaseUntil: Date };

export interface ToolCallAuditPort {
  recordToolCall(entry: ToolCallAuditEntry): Promise<void>;
  /**
   * Claims a key before the vendor is called, atomically across processes
   * (a unique row per workspace, tool and key).
   */
  reserveIdempotencyKey(input: ReserveIdempotencyKeyInput): Promise<IdempotencyReservation>;
  /** Stores the result of the call holding the key; false when it no longer holds it (taken over). */
  completeIdempotencyKey(input: IdempotencyKeyRef & { result: unknown }): Promise<boolean>;
  /** Frees a pending key after a failed call, so a retry may act. */
  releaseIdempotencyKey(input: IdempotencyKeyRef): Promise<void>;
  listToolCalls(workspaceId: string, query: ListToolCallsQuery): Promise<ToolCallAuditRow[]>;
}
