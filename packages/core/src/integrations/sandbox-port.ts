/**
 * What sandbox connectors read and write. The rows come from the workspace's
 * own (demo) data; writes land in the sandbox outbox instead of a vendor.
 */

export interface SandboxCustomer {
  id: string;
  externalId: string;
  name: string;
  email: string | null;
  country: string | null;
  segment: string | null;
  createdAt: Date;
}

export interface SandboxInvoice {
  externalId: string;
  customerExternalId: string | null;
  amount: number;
  currency: string;
  status: string;
  attemptCount: number;
  dueAt: Date;
  lastFailedAt: Date | null;
  createdAt: Date;
}

export interface SandboxSubscription {
  externalId: string;
  customerExternalId: string | null;
  planKey: string;
  interval: string;
  status: 'trialing' | 'active' | 'past_due' | 'canceled';
  amount: number;
  startedAt: Date;
  canceledAt: Date | null;
  trialEnd: Date | null;
}

/** Tables the sandbox Supabase connector may read, with their columns (snake_case, as Supabase shows them). */
export const sandboxTables = {
  customers: ['external_id', 'name', 'email', 'country', 'segment', 'created_at'],
  subscriptions: ['external_id', 'plan_key', 'interval', 'status', 'amount', 'started_at', 'canceled_at'],
  invoices: ['external_id', 'amount', 'currency', 'status', 'attempt_count', 'due_at', 'paid_at', 'created_at'],
  deploys: ['service', 'version', 'description', 'deployed_at', 'rolled_back'],
} as const;

export type SandboxTable = keyof typeof sandboxTables;

export type FilterOperator = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'ilike';

export interface TableFilter {
  column: string;
  operator: FilterOperator;
  value: string | number | boolean;
}

/** A validated query: table and columns are already checked against `sandboxTables`. */
export interface SandboxTableQuery {
  table: SandboxTable;
  filters: TableFilter[];
  orderBy: { column: string; ascending: boolean } | null;
  limit: number;
}

export interface OutboxEntry {
  id: string;
  workspaceId: string;
  connector: string;
  action: string;
  payload: Record<string, unknown>;
  idempotencyKey: string | null;
  createdAt: Date;
}

export interface WriteOutboxInput {
  workspaceId: string;
  connector: string;
  action: string;
  payload: Record<string, unknown>;
  idempotencyKey: string | null;
}

export interface SandboxDataPort {
  listCustomers(workspaceId: string, query: { limit: number; email?: string; createdSince?: Date }): Promise<SandboxCustomer[]>;
  listFailedInvoices(workspaceId: string, query: { limit: number; since?: Date }): Promise<SandboxInvoice[]>;
  findSubscription(workspaceId: string, externalId: string): Promise<SandboxSubscription | null>;
  listSubscriptions(workspaceId: string, query: { statuses: SandboxSubscription['status'][] }): Promise<SandboxSubscription[]>;
  /** Rows keyed by snake_case column names; dates as ISO strings. */
  queryTable(workspaceId: string, query: SandboxTableQuery): Promise<Record<string, unknown>[]>;
  /**
   * Idempotent on (workspaceId, idempotencyKey): a repeated key returns the
   * first entry with `duplicate: true` and writes nothing.
   */
  writeOutbox(input: WriteOutboxInput): Promise<{ entry: OutboxEntry; duplicate: boolean }>;
  listOutbox(workspaceId: string, query: { connector?: string; action?: string; limit: number }): Promise<OutboxEntry[]>;
}
