import type { OutboxEntry, SandboxDataPort, SandboxSubscription, SandboxTableQuery, TableFilter, WriteOutboxInput } from '@opspilot/core/integrations';
import type { Database } from '../client';
import { Prisma } from '../generated/prisma/client';

type Row = Record<string, unknown>;

function camelCase(column: string): string {
  return column.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Casts a filter value to the column's type: `*_at` are instants, counts and amounts numbers. */
function castValue(column: string, value: TableFilter['value']): unknown {
  if (column.endsWith('_at')) return new Date(String(value));
  if (column === 'amount' || column === 'attempt_count') return Number(value);
  if (column === 'rolled_back') return value === true || value === 'true';
  return value;
}

function toCondition(filter: TableFilter): Row {
  const value = castValue(filter.column, filter.value);
  switch (filter.operator) {
    case 'eq': return { equals: value };
    case 'neq': return { not: value };
    case 'gt': return { gt: value };
    case 'gte': return { gte: value };
    case 'lt': return { lt: value };
    case 'lte': return { lte: value };
    case 'ilike': {
      const text = String(filter.value);
      const inner = text.replace(/^%|%$/g, '');
      const mode = 'insensitive';
      if (text.startsWith('%') && text.endsWith('%')) return { contains: inner, mode };
      if (text.endsWith('%')) return { startsWith: inner, mode };
      if (text.startsWith('%')) return { endsWith: inner, mode };
      return { equals: inner, mode };
    }
  }
}

function toRow(record: Row): Row {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [snakeCase(key), value instanceof Date ? value.toISOString() : value]));
}

async function queryTable(db: Database, workspaceId: string, query: SandboxTableQuery): Promise<Row[]> {
  const where: Row = { workspaceId };
  for (const filter of query.filters) where[camelCase(filter.column)] = toCondition(filter);
  const args = {
    where,
    take: query.limit,
    ...(query.orderBy ? { orderBy: { [camelCase(query.orderBy.column)]: query.orderBy.ascending ? 'asc' : 'desc' } } : {}),
  };
  const { prisma } = db;
  switch (query.table) {
    case 'customers':
      return (await prisma.customer.findMany({ ...args, select: { externalId: true, name: true, email: true, country: true, segment: true, createdAt: true } })).map(toRow);
    case 'subscriptions':
      return (
        await prisma.subscription.findMany({
          ...args,
          select: { externalId: true, planKey: true, interval: true, status: true, amount: true, startedAt: true, canceledAt: true },
        })
      ).map(toRow);
    case 'invoices':
      return (
        await prisma.invoice.findMany({
          ...args,
          select: { externalId: true, amount: true, currency: true, status: true, attemptCount: true, dueAt: true, paidAt: true, createdAt: true },
        })
      ).map(toRow);
    case 'deploys':
      return (await prisma.deploy.findMany({ ...args, select: { service: true, version: true, description: true, deployedAt: true, rolledBack: true } })).map(toRow);
  }
}

async function externalIdsOf(db: Database, workspaceId: string, customerIds: string[]): Promise<Map<string, string>> {
  const rows = await db.prisma.customer.findMany({ where: { workspaceId, id: { in: [...new Set(customerIds)] } }, select: { id: true, externalId: true } });
  return new Map(rows.map((row) => [row.id, row.externalId]));
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

function toOutboxEntryPayload(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function toOutboxEntry(row: { id: string; workspaceId: string; connector: string; action: string; payload: unknown; idempotencyKey: string | null; createdAt: Date }): OutboxEntry {
  return { ...row, payload: toOutboxEntryPayload(row.payload) };
}

/** Writes an outbox row once per (workspace, idempotency key); a repeat returns the first row. */
async function writeOutboxOnce(db: Database, input: WriteOutboxInput) {
  const { prisma } = db;
  try {
    const row = await prisma.sandboxOutbox.create({ data: { ...input, payload: input.payload as Prisma.InputJsonValue } });
    return { entry: toOutboxEntry(row), duplicate: false };
  } catch (error) {
    if (!isUniqueViolation(error) || input.idempotencyKey === null) throw error;
    const existing = await prisma.sandboxOutbox.findFirst({ where: { workspaceId: input.workspaceId, idempotencyKey: input.idempotencyKey } });
    if (!existing) throw error;
    return { entry: toOutboxEntry(existing), duplicate: true };
  }
}

const subscriptionSelect = {
  externalId: true, customerId: true, planKey: true, interval: true, status: true, amount: true, startedAt: true, canceledAt: true, trialEnd: true,
} as const;

async function describeSubscriptions(db: Database, workspaceId: string, rows: ({ customerId: string } & Omit<SandboxSubscription, 'customerExternalId'>)[]) {
  const externalIds = await externalIdsOf(db, workspaceId, rows.map((row) => row.customerId));
  return rows.map(({ customerId, ...row }) => ({ ...row, customerExternalId: externalIds.get(customerId) ?? null }));
}

/**
 * Sandbox connector data from the workspace's own tables (the demo seed for
 * the demo workspace): customers, subscriptions, invoices, deploys; writes go
 * to SandboxOutbox.
 */
export function createSandboxDataStore(db: Database): SandboxDataPort {
  const { prisma } = db;
  return {
    async listCustomers(workspaceId, query) {
      return prisma.customer.findMany({
        where: { workspaceId, ...(query.email ? { email: query.email } : {}), ...(query.createdSince ? { createdAt: { gte: query.createdSince } } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        take: query.limit,
        select: { id: true, externalId: true, name: true, email: true, country: true, segment: true, createdAt: true },
      });
    },
    async listFailedInvoices(workspaceId, query) {
      const rows = await prisma.invoice.findMany({
        where: {
          workspaceId,
          OR: [{ status: 'failed' }, { status: 'open', attemptCount: { gt: 0 } }],
          ...(query.since ? { createdAt: { gte: query.since } } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        take: query.limit,
      });
      const externalIds = await externalIdsOf(db, workspaceId, rows.map((row) => row.customerId));
      return rows.map((row) => ({
        externalId: row.externalId,
        customerExternalId: externalIds.get(row.customerId) ?? null,
        amount: row.amount,
        currency: row.currency,
        status: row.status,
        attemptCount: row.attemptCount,
        dueAt: row.dueAt,
        lastFailedAt: row.lastFailedAt,
        createdAt: row.createdAt,
      }));
    },
    async findSubscription(workspaceId, externalId) {
      const row = await prisma.subscription.findFirst({ where: { workspaceId, externalId }, select: subscriptionSelect });
      return row ? ((await describeSubscriptions(db, workspaceId, [row]))[0] ?? null) : null;
    },
    async listSubscriptions(workspaceId, query) {
      const rows = await prisma.subscription.findMany({ where: { workspaceId, status: { in: query.statuses } }, select: subscriptionSelect });
      return describeSubscriptions(db, workspaceId, rows);
    },
    queryTable: (workspaceId, query) => queryTable(db, workspaceId, query),
    writeOutbox: (input) => writeOutboxOnce(db, input),
    async listOutbox(workspaceId, query) {
      const rows = await prisma.sandboxOutbox.findMany({
        where: { workspaceId, ...(query.connector ? { connector: query.connector } : {}), ...(query.action ? { action: query.action } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit,
      });
      return rows.map(toOutboxEntry);
    },
  };
}
