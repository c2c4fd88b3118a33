import type { Database } from '../client';

export interface PanelTable {
  columns: { key: string; label: string; kind: 'text' | 'money' | 'number' | 'date' }[];
  rows: Record<string, string | number | null>[];
}

/** Rows for the catalog's table sources, newest or largest first, scoped to the workspace. */
export async function readPanelTable(db: Database, workspaceId: string, source: string, limit: number, now: Date): Promise<PanelTable> {
  switch (source) {
    case 'top-customers': {
      const rows = await db.query<{ name: string; plan: string | null; mrr: number }>(
        `SELECT c."name", latest."planKey" AS "plan", latest."mrrAfter" AS "mrr"
           FROM (SELECT DISTINCT ON ("customerId") "customerId", "mrrAfter", "planKey" FROM "MrrChange"
                  WHERE "workspaceId" = $1 AND "occurredAt" <= $2 ORDER BY "customerId", "occurredAt" DESC, "id" DESC) latest
           JOIN "Customer" c ON c."id" = latest."customerId"
          WHERE latest."mrrAfter" > 0 ORDER BY latest."mrrAfter" DESC LIMIT $3`,
        [workspaceId, now, limit],
      );
      return { columns: [{ key: 'name', label: 'Customer', kind: 'text' }, { key: 'plan', label: 'Plan', kind: 'text' }, { key: 'mrr', label: 'MRR', kind: 'money' }], rows: rows.map((row) => ({ ...row, mrr: Number(row.mrr) })) };
    }
    case 'recent-deploys': {
      const rows = await db.prisma.deploy.findMany({ where: { workspaceId, deployedAt: { lte: now } }, orderBy: { deployedAt: 'desc' }, take: limit, select: { service: true, version: true, description: true, deployedAt: true, rolledBack: true } });
      return {
        columns: [{ key: 'deployedAt', label: 'When', kind: 'date' }, { key: 'service', label: 'Service', kind: 'text' }, { key: 'version', label: 'Version', kind: 'text' }, { key: 'status', label: 'Status', kind: 'text' }],
        rows: rows.map((row) => ({ deployedAt: row.deployedAt.toISOString(), service: row.service, version: row.version, status: row.rolledBack ? 'rolled back' : 'live' })),
      };
    }
    case 'open-tickets': {
      const rows = await db.prisma.supportTicket.findMany({ where: { workspaceId, status: { not: 'closed' }, resolvedAt: null }, orderBy: { createdAt: 'desc' }, take: limit, select: { subject: true, priority: true, status: true, createdAt: true } });
      return {
        columns: [{ key: 'createdAt', label: 'Opened', kind: 'date' }, { key: 'subject', label: 'Subject', kind: 'text' }, { key: 'priority', label: 'Priority', kind: 'text' }],
        rows: rows.map((row) => ({ createdAt: row.createdAt.toISOString(), subject: row.subject, priority: row.priority })),
      };
    }
    case 'failed-invoices': {
      const rows = await db.query<{ name: string; amount: number; failedAt: Date | null }>(
        `SELECT c."name", i."amount", i."lastFailedAt" AS "failedAt" FROM "Invoice" i JOIN "Customer" c ON c."id" = i."customerId"
          WHERE i."workspaceId" = $1 AND i."status" IN ('failed', 'open') AND i."lastFailedAt" IS NOT NULL ORDER BY i."lastFailedAt" DESC LIMIT $2`,
        [workspaceId, limit],
      );
      return {
        columns: [{ key: 'failedAt', label: 'Failed', kind: 'date' }, { key: 'name', label: 'Customer', kind: 'text' }, { key: 'amount', label: 'Amount', kind: 'money' }],
        rows: rows.map((row) => ({ name: row.name, amount: Number(row.amount), failedAt: row.failedAt ? new Date(row.failedAt).toISOString() : null })),
      };
    }
    default:
      return { columns: [], rows: [] };
  }
}

/** Monthly sign-up cohorts of paying customers and the share still paying n months later. */
export async function readPayingCohorts(db: Database, workspaceId: string, months: number, now: Date): Promise<{ cohort: string; size: number; retained: (number | null)[] }[]> {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months + 1, 1));
  const rows = await db.query<{ customerId: string; first: Date; last: Date; lastMrr: number }>(
    `SELECT "customerId", MIN("occurredAt") FILTER (WHERE "mrrAfter" > 0) AS "first", MAX("occurredAt") AS "last",
            (ARRAY_AGG("mrrAfter" ORDER BY "occurredAt" DESC, "id" DESC))[1] AS "lastMrr"
       FROM "MrrChange" WHERE "workspaceId" = $1 AND "occurredAt" <= $2 GROUP BY "customerId"`,
    [workspaceId, now],
  );
  const monthIndex = (date: Date) => date.getUTCFullYear() * 12 + date.getUTCMonth();
  const nowIndex = monthIndex(now);
  return Array.from({ length: months }, (_, offset) => {
    const cohortIndex = monthIndex(start) + offset;
    const members = rows.filter((row) => row.first && monthIndex(new Date(row.first)) === cohortIndex);
    const retained = Array.from({ length: months }, (_, age) => {
      if (cohortIndex + age > nowIndex) return null;
      if (members.length === 0) return null;
      const cutoff = cohortIndex + age;
      const alive = members.filter((row) => Number(row.lastMrr) > 0 || monthIndex(new Date(row.last)) > cutoff).length;
      return alive / members.length;
    });
    const label = `${Math.floor(cohortIndex / 12)}-${String((cohortIndex % 12) + 1).padStart(2, '0')}`;
    return { cohort: label, size: members.length, retained };
  });
}
