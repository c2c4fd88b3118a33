import type { AnomalyInfo, BusinessDataPort, CustomerRisk, IncidentInfo } from '@opspilot/core/agents';
import type { MetricFacts, MetricPointFact } from '@opspilot/core/signals';
import type { Database } from '../client';

/**
 * Stored series behind each signal-series name the metric functions read.
 * The demo seed writes `api_*` names; ingested telemetry may use the plain ones.
 */
const pointSources: Record<string, { stored: string[]; as: string }> = {
  requests: { stored: ['requests', 'api_requests'], as: 'requests' },
  errors: { stored: ['errors', 'api_errors'], as: 'errors' },
  'latency_ms@p50': { stored: ['api_latency_p50_ms'], as: 'latency_ms' },
  'latency_ms@p95': { stored: ['latency_ms', 'api_latency_p95_ms'], as: 'latency_ms' },
};

async function loadPoints(db: Database, workspaceId: string, names: string[], range: { from: Date; to: Date }): Promise<MetricPointFact[]> {
  const points: MetricPointFact[] = [];
  for (const name of names) {
    const source = pointSources[name];
    if (!source) continue;
    const rows = await db.prisma.metricPoint.findMany({
      where: { workspaceId, metric: { in: source.stored }, segment: '', ts: { gte: range.from, lt: range.to } },
      select: { ts: true, value: true, count: true },
      orderBy: { ts: 'asc' },
    });
    for (const row of rows) points.push({ metric: source.as, ts: row.ts, value: row.value, count: row.count });
  }
  return points;
}

async function loadMetricFacts(db: Database, workspaceId: string, input: Parameters<BusinessDataPort['loadMetricFacts']>[1]): Promise<MetricFacts> {
  const range = { gte: input.from, lt: input.to };
  const include = new Set(input.include);
  const mrrChanges = await db.prisma.mrrChange.findMany({
    where: { workspaceId, occurredAt: { lt: input.to } },
    select: { customerId: true, occurredAt: true, mrrBefore: true, mrrAfter: true, planKey: true },
    orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
  });
  const facts: MetricFacts = { mrrChanges };
  if (include.has('customers')) {
    const rows = await db.prisma.customer.findMany({ where: { workspaceId, createdAt: range }, select: { id: true, createdAt: true } });
    facts.customers = rows.map((row) => ({ customerId: row.id, createdAt: row.createdAt }));
  }
  if (include.has('subscriptions')) {
    const rows = await db.prisma.subscription.findMany({
      where: { workspaceId, trialEnd: range },
      select: { customerId: true, planKey: true, status: true, startedAt: true, trialStart: true, trialEnd: true, canceledAt: true },
    });
    facts.subscriptions = rows.map((row) => ({ ...row, status: row.status }));
  }
  if (include.has('invoices')) {
    facts.invoices = await db.prisma.invoice.findMany({
      where: { workspaceId, OR: [{ lastFailedAt: range }, { createdAt: range }] },
      select: { customerId: true, status: true, amount: true, attemptCount: true, createdAt: true, lastFailedAt: true },
    });
  }
  if (include.has('tickets')) {
    facts.tickets = await db.prisma.supportTicket.findMany({ where: { workspaceId, createdAt: range }, select: { createdAt: true, priority: true } });
  }
  if (include.has('points')) facts.points = await loadPoints(db, workspaceId, input.pointMetrics ?? [], { from: input.from, to: input.to });
  return facts;
}

/** Paying customers with a past-due subscription or an unpaid invoice that failed, largest MRR first. */
async function listAtRiskCustomers(db: Database, workspaceId: string, at: Date): Promise<CustomerRisk[]> {
  const rows = await db.query<{ customerId: string; name: string; mrr: number; pastDue: boolean; failedInvoices: number }>(
    `WITH mrr AS (
       SELECT "customerId", SUM("mrrAfter" - "mrrBefore")::int AS "mrr" FROM "MrrChange"
       WHERE "workspaceId" = $1 AND "occurredAt" < ($2::timestamptz AT TIME ZONE 'UTC') GROUP BY "customerId"
     )
     SELECT c."id" AS "customerId", c."name", mrr."mrr",
       EXISTS (SELECT 1 FROM "Subscription" s WHERE s."workspaceId" = $1 AND s."customerId" = c."id" AND s."status" = 'past_due') AS "pastDue",
       (SELECT count(*)::int FROM "Invoice" i WHERE i."workspaceId" = $1 AND i."customerId" = c."id" AND i."status" IN ('failed', 'open') AND i."attemptCount" > 0 AND i."paidAt" IS NULL AND i."lastFailedAt" IS NOT NULL) AS "failedInvoices"
     FROM "Customer" c JOIN mrr ON mrr."customerId" = c."id"
     WHERE c."workspaceId" = $1 AND mrr."mrr" > 0
     ORDER BY mrr."mrr" DESC, c."id"`,
    [workspaceId, at.toISOString()],
  );
  return rows
    .filter((row) => row.pastDue || row.failedInvoices > 0)
    .map((row) => ({
      customerId: row.customerId,
      name: row.name,
      mrr: row.mrr,
      reason: [row.pastDue ? 'subscription past due' : null, row.failedInvoices > 0 ? `${row.failedInvoices} unpaid invoice(s) with failed payments` : null].filter(Boolean).join('; '),
    }));
}

async function listIncidents(db: Database, workspaceId: string, range: { from: Date; to: Date }): Promise<IncidentInfo[]> {
  return db.prisma.incident.findMany({
    where: { workspaceId, OR: [{ status: { not: 'resolved' } }, { startedAt: { lt: range.to }, lastSeenAt: { gte: range.from } }] },
    orderBy: { startedAt: 'desc' },
    take: 20,
    select: { id: true, title: true, status: true, severity: true, metrics: true, startedAt: true, endedAt: true },
  });
}

async function listAnomalies(db: Database, workspaceId: string, range: { from: Date; to: Date }): Promise<AnomalyInfo[]> {
  return db.prisma.anomaly.findMany({
    where: { workspaceId, windowStart: { gte: range.from, lt: range.to } },
    orderBy: [{ score: 'desc' }, { windowStart: 'desc' }],
    take: 20,
    select: { metric: true, segment: true, windowStart: true, windowEnd: true, expected: true, actual: true, direction: true, severity: true },
  });
}

/** The BusinessDataPort over the database: everything the reasoner reads, nothing it writes. */
export function createAgentBusinessData(db: Database): BusinessDataPort {
  return {
    loadMetricFacts: (workspaceId, input) => loadMetricFacts(db, workspaceId, input),
    listPlans: (workspaceId) => db.prisma.plan.findMany({ where: { workspaceId }, orderBy: { tier: 'asc' }, select: { key: true, name: true } }),
    async readCustomerNames(workspaceId, customerIds) {
      const rows = await db.prisma.customer.findMany({ where: { workspaceId, id: { in: customerIds } }, select: { id: true, name: true } });
      return new Map(rows.map((row) => [row.id, row.name]));
    },
    listAtRiskCustomers: (workspaceId, at) => listAtRiskCustomers(db, workspaceId, at),
    listIncidents: (workspaceId, range) => listIncidents(db, workspaceId, range),
    listAnomalies: (workspaceId, range) => listAnomalies(db, workspaceId, range),
    listDeploys: (workspaceId, range) =>
      db.prisma.deploy.findMany({
        where: { workspaceId, deployedAt: { gte: range.from, lt: range.to } },
        orderBy: { deployedAt: 'desc' },
        take: 20,
        select: { service: true, version: true, description: true, deployedAt: true, rolledBack: true },
      }),
    listWorkflows: (workspaceId) =>
      db.prisma.workflow.findMany({ where: { workspaceId }, orderBy: { key: 'asc' }, select: { id: true, key: true, name: true, description: true, enabled: true } }),
    async readWorkspaceModel(workspaceId) {
      const workspace = await db.prisma.workspace.findUnique({ where: { id: workspaceId }, select: { settings: true } });
      const settings = workspace?.settings as { ai?: { model?: unknown } } | null | undefined;
      return typeof settings?.ai?.model === 'string' && settings.ai.model.trim() !== '' ? settings.ai.model : null;
    },
  };
}
