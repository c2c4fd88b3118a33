import type {
  IntegrationRecord,
  IntegrationRepository,
  McpServerRecord,
  OutboxEntry,
  SandboxCustomer,
  SandboxDataPort,
  SandboxInvoice,
  SandboxSubscription,
  ToolCallAuditEntry,
  ToolCallAuditPort,
} from '../integrations';

interface KeyRow {
  argsHash: string;
  state: 'pending' | 'done';
  callId: string;
  result: unknown;
  leaseUntil: Date;
}

/** Demo rows for in-memory sandbox tests. */
export interface InMemorySandboxData {
  customers: (SandboxCustomer & { workspaceId: string })[];
  invoices: (SandboxInvoice & { workspaceId: string })[];
  subscriptions: (SandboxSubscription & { workspaceId: string })[];
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function toRow(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [snakeCase(key), item instanceof Date ? item.toISOString() : item]));
}

/**
 * In-memory implementations of the integration ports, for core unit tests
 * and benchmarks. The Prisma implementation lives in @opspilot/db.
 */
export function createInMemoryIntegrationStore(clock: () => Date = () => new Date()) {
  const integrations: IntegrationRecord[] = [];
  const servers: McpServerRecord[] = [];
  const toolCalls: ToolCallAuditEntry[] = [];
  const idempotencyKeys = new Map<string, KeyRow>();
  const keyOf = (ref: { workspaceId: string; tool: string; key: string }) => `${ref.workspaceId}\u0000${ref.tool}\u0000${ref.key}`;
  const outbox: OutboxEntry[] = [];
  const data: InMemorySandboxData = { customers: [], invoices: [], subscriptions: [] };
  let sequence = 0;
  const stamp = () => new Date(clock().getTime() + ++sequence);

  const repository: IntegrationRepository = {
    listIntegrations: async (workspaceId) => integrations.filter((record) => record.workspaceId === workspaceId).map((record) => ({ ...record })),
    findIntegration: async (workspaceId, id) => integrations.find((record) => record.workspaceId === workspaceId && record.id === id) ?? null,
    createIntegration: async (record) => {
      const created: IntegrationRecord = { ...record, status: 'unknown', lastError: null, lastCheckedAt: null, createdAt: stamp(), updatedAt: stamp() };
      integrations.push(created);
      return { ...created };
    },
    updateIntegration: async (workspaceId, id, patch) => {
      const record = integrations.find((candidate) => candidate.workspaceId === workspaceId && candidate.id === id);
      if (!record) return null;
      Object.assign(record, patch, { updatedAt: stamp() });
      return { ...record };
    },
    deleteIntegration: async (workspaceId, id) => {
      const index = integrations.findIndex((record) => record.workspaceId === workspaceId && record.id === id);
      if (index >= 0) integrations.splice(index, 1);
      return index >= 0;
    },
    listMcpServers: async (workspaceId) => servers.filter((record) => record.workspaceId === workspaceId).map((record) => ({ ...record })),
    findMcpServer: async (workspaceId, id) => servers.find((record) => record.workspaceId === workspaceId && record.id === id) ?? null,
    createMcpServer: async (record) => {
      const created: McpServerRecord = { ...record, status: 'unknown', lastError: null, lastCheckedAt: null, createdAt: stamp(), updatedAt: stamp() };
      servers.push(created);
      return { ...created };
    },
    updateMcpServer: async (workspaceId, id, patch) => {
      const record = servers.find((candidate) => candidate.workspaceId === workspaceId && candidate.id === id);
      if (!record) return null;
      Object.assign(record, patch, { updatedAt: stamp() });
      return { ...record };
    },
    deleteMcpServer: async (workspaceId, id) => {
      const index = servers.findIndex((record) => record.workspaceId === workspaceId && record.id === id);
      if (index >= 0) servers.splice(index, 1);
      return index >= 0;
    },
  };

  const audit: ToolCallAuditPort = {
    recordToolCall: async (entry) => {
      toolCalls.push(entry);
    },
    reserveIdempotencyKey: async (input) => {
      const row = idempotencyKeys.get(keyOf(input));
      const expired = row?.state === 'pending' && row.argsHash === input.argsHash && row.leaseUntil < input.now;
      if (!row || expired) {
        idempotencyKeys.set(keyOf(input), { argsHash: input.argsHash, state: 'pending', callId: input.callId, result: null, leaseUntil: input.leaseUntil });
        return { state: 'reserved' };
      }
      return row.state === 'done'
        ? { state: 'done', argsHash: row.argsHash, result: row.result }
        : { state: 'pending', argsHash: row.argsHash, leaseUntil: row.leaseUntil };
    },
    completeIdempotencyKey: async (input) => {
      const row = idempotencyKeys.get(keyOf(input));
      if (row?.callId !== input.callId) return false;
      Object.assign(row, { state: 'done', result: input.result });
      return true;
    },
    releaseIdempotencyKey: async (input) => {
      const row = idempotencyKeys.get(keyOf(input));
      if (row?.callId === input.callId && row.state === 'pending') idempotencyKeys.delete(keyOf(input));
    },
    listToolCalls: async (workspaceId, query) =>
      toolCalls
        .filter((entry) => entry.workspaceId === workspaceId && (!query.before || entry.createdAt < query.before))
        .filter((entry) => (!query.tool || entry.tool === query.tool) && (!query.status || entry.status === query.status))
        .reverse()
        .slice(0, query.limit),
  };

  const inWorkspace = <T extends { workspaceId: string }>(rows: T[], workspaceId: string) => rows.filter((row) => row.workspaceId === workspaceId);
  const sandbox: SandboxDataPort = {
    listCustomers: async (workspaceId, query) =>
      inWorkspace(data.customers, workspaceId)
        .filter((row) => (!query.email || row.email === query.email) && (!query.createdSince || row.createdAt >= query.createdSince))
        .sort((left, right) => right.createdAt.getTime() - left.createdAt.getTime())
        .slice(0, query.limit),
    listFailedInvoices: async (workspaceId, query) =>
      inWorkspace(data.invoices, workspaceId)
        .filter((row) => row.status === 'failed' && (!query.since || row.createdAt >= query.since))
        .slice(0, query.limit),
    findSubscription: async (workspaceId, externalId) => inWorkspace(data.subscriptions, workspaceId).find((row) => row.externalId === externalId) ?? null,
    listSubscriptions: async (workspaceId, query) => inWorkspace(data.subscriptions, workspaceId).filter((row) => query.statuses.includes(row.status)),
    queryTable: async (workspaceId, query) => {
      const source = query.table === 'customers' ? data.customers : query.table === 'invoices' ? data.invoices : query.table === 'subscriptions' ? data.subscriptions : [];
      return inWorkspace(source as { workspaceId: string }[], workspaceId)
        .map(({ workspaceId: _workspace, ...row }) => toRow(row))
        .filter((row) => query.filters.every((filter) => filter.operator !== 'eq' || String(row[filter.column]) === String(filter.value)))
        .slice(0, query.limit);
    },
    writeOutbox: async (input) => {
      const existing = input.idempotencyKey
        ? outbox.find((entry) => entry.workspaceId === input.workspaceId && entry.idempotencyKey === input.idempotencyKey)
        : undefined;
      if (existing) return { entry: existing, duplicate: true };
      const entry: OutboxEntry = { ...input, id: `outbox-${outbox.length + 1}`, createdAt: stamp() };
      outbox.push(entry);
      return { entry, duplicate: false };
    },
    listOutbox: async (workspaceId, query) =>
      outbox
        .filter((entry) => entry.workspaceId === workspaceId && (!query.connector || entry.connector === query.connector) && (!query.action || entry.action === query.action))
        .reverse()
        .slice(0, query.limit),
  };

  return { repository, audit, sandbox, integrations, servers, toolCalls, idempotencyKeys, outbox, data };
}
