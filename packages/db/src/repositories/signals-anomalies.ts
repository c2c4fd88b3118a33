import type { AnomalyStore, StoredAnomaly, StoredIncident } from '@opspilot/core/signals';
import type { Database } from '../client';
import { upsertAnomalies } from './signals-anomaly-upsert';

const anomalySelect = {
  id: true, metric: true, segment: true, detector: true, windowStart: true, windowEnd: true, expected: true, lower: true, upper: true,
  actual: true, score: true, direction: true, severity: true, incidentId: true, createdAt: true, levelShiftAcceptedAt: true,
} as const;

const incidentSelect = {
  id: true, title: true, summary: true, status: true, severity: true, metrics: true, startedAt: true, lastSeenAt: true, endedAt: true,
  acknowledgedById: true, acknowledgedAt: true, resolvedById: true, resolvedAt: true, createdAt: true,
} as const;

/** Anomalies and incidents through Prisma; every query is scoped by workspaceId. */
export function createAnomalyStore(db: Database): AnomalyStore {
  const { prisma } = db;
  return {
    async insertAnomalies(workspaceId, anomalies): Promise<StoredAnomaly[]> {
      return (await upsertAnomalies(db, workspaceId, anomalies)).created;
    },
    upsertAnomalies: (workspaceId, anomalies) => upsertAnomalies(db, workspaceId, anomalies),
    listActiveIncidents: (workspaceId) =>
      prisma.incident.findMany({ where: { workspaceId, status: { not: 'resolved' } }, select: incidentSelect, orderBy: { startedAt: 'desc' } }),
    createIncident: (workspaceId, incident) => prisma.incident.create({ data: { ...incident, workspaceId }, select: incidentSelect }),
    async updateIncident(workspaceId, id, patch) {
      await prisma.incident.updateMany({ where: { workspaceId, id }, data: patch });
    },
    async attachAnomalies(workspaceId, incidentId, anomalyIds) {
      await prisma.anomaly.updateMany({ where: { workspaceId, id: { in: [...anomalyIds] } }, data: { incidentId } });
    },
    listAnomalies: (workspaceId, query) =>
      prisma.anomaly.findMany({
        where: {
          workspaceId,
          ...(query.metric ? { metric: query.metric } : {}),
          ...(query.from || query.to ? { windowStart: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } } : {}),
        },
        select: anomalySelect,
        orderBy: [{ windowStart: 'desc' }, { id: 'desc' }],
        take: query.limit,
        ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
      }),
    listIncidents: (workspaceId, query) =>
      prisma.incident.findMany({
        where: { workspaceId, ...(query.status ? { status: query.status } : {}) },
        select: incidentSelect,
        orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
        take: query.limit,
        ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
      }),
    async findIncident(workspaceId, id) {
      const incident = await prisma.incident.findFirst({
        where: { workspaceId, id },
        select: { ...incidentSelect, anomalies: { select: anomalySelect, orderBy: { windowStart: 'asc' } } },
      });
      return incident;
    },
    async transitionIncident(workspaceId, id, change): Promise<StoredIncident | null> {
      const stamp = change.to === 'acknowledged' ? { acknowledgedById: change.actorId, acknowledgedAt: change.at } : { resolvedById: change.actorId, resolvedAt: change.at };
      const { count } = await prisma.incident.updateMany({ where: { workspaceId, id, status: { in: [...change.from] } }, data: { status: change.to, ...stamp } });
      if (count === 0) return null;
      return prisma.incident.findFirst({ where: { workspaceId, id }, select: incidentSelect });
    },
    async listAnomaliesAfter(workspaceId, afterId, limit) {
      const after = afterId ? await prisma.anomaly.findFirst({ where: { workspaceId, id: afterId }, select: { createdAt: true, id: true } }) : null;
      if (!after) {
        const latest = await prisma.anomaly.findMany({ where: { workspaceId }, select: anomalySelect, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
        return latest.reverse();
      }
      return prisma.anomaly.findMany({
        where: { workspaceId, OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] },
        select: anomalySelect,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
    },
  };
}
