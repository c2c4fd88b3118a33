import type { Database } from '../client';

export interface WorkspaceSummary {
  id: string;
  name: string;
  slug: string;
  role: 'owner' | 'admin' | 'member' | 'viewer';
  isDemo: boolean;
}

export interface WorkspaceOverview {
  workspace: { id: string; name: string; slug: string; currency: string; timezone: string; isDemo: boolean };
  /** Monthly recurring revenue in cents now, from the MRR ledger. */
  mrrCents: number;
  payingCustomers: number;
  customers: number;
  openIncidents: number;
  activeUsersLastDay: number | null;
  asOf: string;
}

/** Workspaces a user belongs to, with the user's role in each. */
export async function listWorkspacesOfUser(db: Database, userId: string): Promise<WorkspaceSummary[]> {
  const memberships = await db.prisma.membership.findMany({
    where: { userId },
    select: { role: true, workspace: { select: { id: true, name: true, slug: true, isDemo: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return memberships.map((membership) => ({ ...membership.workspace, role: membership.role }));
}

export async function findWorkspace(db: Database, workspaceId: string) {
  return db.prisma.workspace.findUnique({
    where: { id: workspaceId },
    select: { id: true, name: true, slug: true, currency: true, timezone: true, isDemo: true, killSwitch: true },
  });
}

type DailyPoint = { ts: Date; value: number } | null;

/** The most recent day's active users of either source; on the same day, the larger (the rollup is a floor). */
function latestActiveUsers(rollup: DailyPoint, events: DailyPoint): number | null {
  if (!rollup || !events) return (rollup ?? events)?.value ?? null;
  if (rollup.ts.getTime() !== events.ts.getTime()) return (rollup.ts > events.ts ? rollup : events).value;
  return Math.max(rollup.value, events.value);
}

/** Headline numbers for the first page, read live from the database. */
export async function readWorkspaceOverview(
  db: Database,
  workspaceId: string,
  now: Date,
): Promise<WorkspaceOverview | null> {
  const workspace = await findWorkspace(db, workspaceId);
  if (!workspace) return null;
  const latestDaily = (metric: string) => db.prisma.metricPoint.findFirst({
    where: { workspaceId, metric, interval: '1d', segment: '', ts: { lte: now } },
    orderBy: { ts: 'desc' },
    select: { ts: true, value: true },
  });
  const [mrrRows, customers, openIncidents, rollupActive, eventActive] = await Promise.all([
    db.query<{ mrr: string | number | null; paying: string | number }>(
      `SELECT COALESCE(SUM(latest."mrrAfter"), 0) AS mrr, COUNT(*) FILTER (WHERE latest."mrrAfter" > 0) AS paying
         FROM (SELECT DISTINCT ON ("customerId") "mrrAfter" FROM "MrrChange"
                WHERE "workspaceId" = $1 AND "occurredAt" <= $2
                ORDER BY "customerId", "occurredAt" DESC, "id" DESC) AS latest`,
      [workspaceId, now],
    ),
    db.prisma.customer.count({ where: { workspaceId } }),
    db.prisma.incident.count({ where: { workspaceId, status: { not: 'resolved' } } }),
    // Active users come from a pre-aggregated rollup (the demo, imports) and from actors named in ingested events.
    latestDaily('active_users'),
    latestDaily('active_actors'),
  ]);
  const row = mrrRows[0];
  return {
    workspace: { id: workspace.id, name: workspace.name, slug: workspace.slug, currency: workspace.currency, timezone: workspace.timezone, isDemo: workspace.isDemo },
    mrrCents: Number(row?.mrr ?? 0),
    payingCustomers: Number(row?.paying ?? 0),
    customers,
    openIncidents,
    activeUsersLastDay: latestActiveUsers(rollupActive, eventActive),
    asOf: now.toISOString(),
  };
}
