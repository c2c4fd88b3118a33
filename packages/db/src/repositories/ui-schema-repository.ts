import { AppError } from '@opspilot/core/errors';
import type { CapabilitiesPort, StoredUiSchema, UiSchemaSource, UiSchemaStore, WorkspaceCapabilities } from '@opspilot/core/experience';
import type { Database } from '../client';
import { Prisma } from '../generated/prisma/client';

const sources: readonly UiSchemaSource[] = ['generated', 'patch', 'rollback', 'manual'];

function toStored(row: { workspaceId: string; context: string; version: number; spec: unknown; source: string; note: string; createdById: string | null; createdAt: Date }): StoredUiSchema {
  return { ...row, source: sources.includes(row.source as UiSchemaSource) ? (row.source as UiSchemaSource) : 'manual' };
}

const columns = { workspaceId: true, context: true, version: true, spec: true, source: true, note: true, createdById: true, createdAt: true } as const;

/** UiSchema rows: one per (workspace, context, version); the unique key turns a lost race into CONFLICT. */
export function createUiSchemaStore(db: Database): UiSchemaStore {
  return {
    async findLatest(workspaceId, context) {
      const row = await db.prisma.uiSchema.findFirst({ where: { workspaceId, context }, orderBy: { version: 'desc' }, select: columns });
      return row ? toStored(row) : null;
    },
    async findVersion(workspaceId, context, version) {
      const row = await db.prisma.uiSchema.findUnique({ where: { workspaceId_context_version: { workspaceId, context, version } }, select: columns });
      return row ? toStored(row) : null;
    },
    async listVersions(workspaceId, context, limit) {
      const rows = await db.prisma.uiSchema.findMany({ where: { workspaceId, context }, orderBy: { version: 'desc' }, take: limit, select: columns });
      return rows.map(toStored);
    },
    async appendVersion(record, at) {
      try {
        const row = await db.prisma.uiSchema.create({
          data: { ...record, spec: record.spec, createdAt: at },
          select: columns,
        });
        return toStored(row);
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          throw new AppError('CONFLICT', `UI schema ${record.context} version ${record.version} was stored by someone else first; reload and retry.`);
        }
        throw error;
      }
    },
  };
}

/** 5-minute telemetry (or ingested daily rollups) behind each ops metric. */
const telemetryMetrics: Record<string, string[]> = {
  request_rate: ['api_requests', 'requests'],
  error_rate: ['api_errors', 'errors'],
  latency_p50: ['api_latency_p50_ms'],
  latency_p95: ['api_latency_p95_ms'],
  active_users: ['active_users', 'active_actors'],
  signups: ['signups'],
};

const severityRank: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/** What the workspace has, in a handful of indexed queries. */
export async function readWorkspaceCapabilities(db: Database, workspaceId: string, now: Date): Promise<WorkspaceCapabilities> {
  const since = new Date(now.getTime() - 90 * 86_400_000);
  const [ledger, invoices, pointMetrics, customers, tickets, deploys, plans, incidents] = await Promise.all([
    db.prisma.mrrChange.count({ where: { workspaceId }, take: 1 }),
    db.prisma.invoice.count({ where: { workspaceId }, take: 1 }),
    db.query<{ metric: string }>(`SELECT DISTINCT "metric" FROM "MetricPoint" WHERE "workspaceId" = $1 AND "ts" >= $2`, [workspaceId, since]),
    db.prisma.customer.count({ where: { workspaceId, createdAt: { gte: since } }, take: 1 }),
    db.prisma.supportTicket.count({ where: { workspaceId }, take: 1 }),
    db.prisma.deploy.count({ where: { workspaceId }, take: 1 }),
    db.prisma.plan.findMany({ where: { workspaceId }, orderBy: { tier: 'asc' }, select: { key: true } }),
    db.prisma.incident.findMany({ where: { workspaceId, status: { not: 'resolved' } }, orderBy: { startedAt: 'desc' }, take: 20, select: { id: true, title: true, severity: true, metrics: true } }),
  ]);
  const stored = new Set(pointMetrics.map((row) => row.metric));
  const metricsWithData = Object.entries(telemetryMetrics).filter(([, names]) => names.some((name) => stored.has(name))).map(([metric]) => metric);
  if (customers > 0 && !metricsWithData.includes('signups')) metricsWithData.push('signups');
  if (tickets > 0) metricsWithData.push('ticket_volume');
  return {
    hasBilling: ledger > 0 || invoices > 0,
    metricsWithData,
    openIncidents: [...incidents].sort((a, b) => (severityRank[a.severity] ?? 3) - (severityRank[b.severity] ?? 3)),
    plans: plans.map((plan) => plan.key),
    hasTickets: tickets > 0,
    hasDeploys: deploys > 0,
  };
}

/** The capabilities port over this database; `now` comes from the caller's clock. */
export function createCapabilitiesPort(db: Database, clock: { now(): Date }): CapabilitiesPort {
  return { readCapabilities: (workspaceId) => readWorkspaceCapabilities(db, workspaceId, clock.now()) };
}
