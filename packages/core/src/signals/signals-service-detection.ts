import type { IdGenerator } from '../ports';
import { isActionableAnomaly } from './actionable';
import type { Severity } from './alert-hold';
import { detectAnomalies, type AnomalyRecord } from './detect-anomalies';
import { detectionSeries, loadWatchedSeries, prepareSeries, toSeriesUnits, type DetectionSeriesSpec } from './detection-series';
import { formatMetricValue } from './format-metric-value';
import { assignAnomalyToIncident, buildIncidentTitle, describeMetricName, type IncidentRecord } from './incidents';
import { metricDefinitions } from './metric-definitions';
import { createProductionDetector } from './production-detector';
import type { NewAnomaly, SignalsDeps, StoredAnomaly, StoredIncident } from './signals-ports';
import { anomalyTopic, type AnomalyNotification, type IncidentNotification } from './signals-service';

const minuteMs = 60_000;
const dayMs = 86_400_000;

export interface RunDetectionOptions {
  workspaceId: string;
  now: Date;
  /** History scanned; the seasonal models need about three weeks before they judge. */
  lookbackDays?: number;
  series?: readonly DetectionSeriesSpec[];
}

export interface DetectionSummary {
  seriesScanned: number;
  pointsScanned: number;
  anomaliesFound: number;
  anomaliesStored: number;
  incidentsOpened: number;
  incidentsUpdated: number;
}

/** The anomaly as stored: values in the series' own units, severity info when not worth acting on. */
function toNewAnomaly(spec: DetectionSeriesSpec, found: AnomalyRecord): NewAnomaly {
  const record = toSeriesUnits(spec, found);
  const severity: Severity = isActionableAnomaly(record, spec) ? record.severity : 'info';
  return { ...record, severity, windowStart: new Date(record.windowStart), windowEnd: new Date(record.windowEnd + spec.stepMs) };
}

function toPureAnomaly(anomaly: StoredAnomaly): AnomalyRecord {
  return { ...anomaly, windowStart: anomaly.windowStart.getTime(), windowEnd: anomaly.windowEnd.getTime() };
}

function toPureIncident(incident: StoredIncident): IncidentRecord {
  return {
    ...incident,
    startedAt: incident.startedAt.getTime(),
    lastSeenAt: incident.lastSeenAt.getTime(),
    anomalies: [],
    acknowledgedAt: incident.acknowledgedAt?.getTime() ?? null,
    resolvedAt: incident.resolvedAt?.getTime() ?? null,
  };
}

/** How long after an incident's last anomaly another anomaly of the same family (metric definition category) still joins it. */
export const incidentGapToleranceMs = 36 * 60 * minuteMs;

async function groupIntoIncidents(
  deps: Pick<SignalsDeps, 'anomalies' | 'eventBus'>,
  workspaceId: string,
  stored: readonly { anomaly: StoredAnomaly; spec: DetectionSeriesSpec }[],
): Promise<{ opened: number; updated: number }> {
  const specOf = new Map(stored.map(({ anomaly, spec }) => [anomaly.metric, spec]));
  let counter = 0;
  const ids: IdGenerator = { next: () => `pending:${(counter += 1)}` };
  let incidents = (await deps.anomalies.listActiveIncidents(workspaceId)).map(toPureIncident);
  const members = new Map<string, string[]>();
  for (const { anomaly } of [...stored].sort((a, b) => a.anomaly.windowStart.getTime() - b.anomaly.windowStart.getTime())) {
    const result = assignAnomalyToIncident(incidents, toPureAnomaly(anomaly), { gapToleranceMs: incidentGapToleranceMs, ids });
    incidents = result.incidents;
    members.set(result.incident.id, [...(members.get(result.incident.id) ?? []), anomaly.id]);
  }
  let opened = 0;
  for (const [incidentId, anomalyIds] of members) {
    const incident = incidents.find((candidate) => candidate.id === incidentId)!;
    const fields = { severity: incident.severity, metrics: incident.metrics, lastSeenAt: new Date(incident.lastSeenAt) };
    const anomalies = stored.filter(({ anomaly }) => anomalyIds.includes(anomaly.id)).map(({ anomaly }) => toPureAnomaly(anomaly));
    let targetId = incidentId;
    if (incidentId.startsWith('pending:')) {
      const created = await deps.anomalies.createIncident(workspaceId, {
        ...fields, title: buildIncidentTitle(anomalies), summary: describeAnomalies(anomalies, specOf), startedAt: new Date(incident.startedAt), endedAt: null,
      });
      targetId = created.id;
      opened += 1;
      const notification: IncidentNotification = { type: 'incident-opened', incidentId: created.id, metrics: incident.metrics, severity: incident.severity };
      await deps.eventBus.publish(anomalyTopic(workspaceId), notification);
    } else {
      await deps.anomalies.updateIncident(workspaceId, incidentId, fields);
    }
    await deps.anomalies.attachAnomalies(workspaceId, targetId, anomalyIds);
  }
  return { opened, updated: members.size - opened };
}

/** "Churned customers (growth) up: 11 vs expected 1.2 [0, 4.1] over 7 days" or "Latency p95 up: 430.40 ms vs …", in the series' own units. */
function describeAnomalies(anomalies: readonly AnomalyRecord[], specOf: ReadonlyMap<string, DetectionSeriesSpec>): string {
  return anomalies
    .map((anomaly) => {
      const windowPoints = specOf.get(anomaly.metric)?.windowPoints ?? 1;
      const window = windowPoints > 1 ? ` over ${windowPoints} days` : '';
      const segment = anomaly.segment ? ` (${anomaly.segment})` : '';
      const value = (amount: number) => formatSummaryValue(anomaly.metric, amount);
      return `${describeMetricName(anomaly.metric)}${segment} ${anomaly.direction}: ${value(anomaly.actual)} vs expected ${value(anomaly.expected)} [${value(anomaly.lower)}, ${value(anomaly.upper)}]${window}`;
    })
    .join('; ');
}

/**
 * A stored value as a summary states it: the precise style of the shared
 * formatter, in the series' own unit ("430.40 ms", "2.13%", "$1,250.00", "1.39").
 */
export function formatSummaryValue(metric: string, value: number): string {
  return formatMetricValue(metricDefinitions[metric] ?? { unit: 'count' }, value, { style: 'precise' });
}

/** An incident whose metrics have been quiet for the gap tolerance has ended (it stays open until someone resolves it). */
async function markQuietIncidentsEnded(deps: Pick<SignalsDeps, 'anomalies'>, workspaceId: string, now: Date): Promise<void> {
  for (const incident of await deps.anomalies.listActiveIncidents(workspaceId)) {
    if (incident.endedAt === null && incident.lastSeenAt.getTime() + incidentGapToleranceMs < now.getTime()) {
      await deps.anomalies.updateIncident(workspaceId, incident.id, { endedAt: incident.lastSeenAt });
    }
  }
}

/**
 * The detection job: runs the production detector online over every watched
 * series of the workspace (5-minute telemetry, daily business metrics, churn
 * per plan), stores each fired episode as an Anomaly with its values in the
 * series' own units (idempotent: a re-run stores only episodes not stored
 * before), groups the ones worth acting on (`isActionableAnomaly`) into
 * incidents and publishes every new anomaly on `anomalies:<workspaceId>`.
 * Safe to call after seeding and then periodically.
 */
export async function runDetection(deps: Pick<SignalsDeps, 'series' | 'anomalies' | 'eventBus' | 'logger'>, options: RunDetectionOptions): Promise<DetectionSummary> {
  const to = options.now;
  const from = new Date(to.getTime() - (options.lookbackDays ?? 365) * dayMs);
  const summary: DetectionSummary = { seriesScanned: 0, pointsScanned: 0, anomaliesFound: 0, anomaliesStored: 0, incidentsOpened: 0, incidentsUpdated: 0 };
  const toGroup: { anomaly: StoredAnomaly; spec: DetectionSeriesSpec }[] = [];
  await deps.series.refreshRollups(options.workspaceId, to);
  for (const spec of options.series ?? detectionSeries) {
    for (const [segment, points] of await loadWatchedSeries(deps, options.workspaceId, spec, { from, to })) {
      const records = detectAnomalies(
        prepareSeries(points, spec).map((point) => ({ ts: point.ts.getTime(), value: point.value })),
        { metric: spec.metric, segment, forPoints: spec.forPoints, keepFiringForPoints: spec.keepFiringForPoints, createDetector: () => createProductionDetector({ alertDeviation: spec.alertDeviation }) },
      );
      summary.seriesScanned += 1;
      summary.pointsScanned += points.length;
      summary.anomaliesFound += records.length;
      const stored = await deps.anomalies.insertAnomalies(options.workspaceId, records.map((record) => toNewAnomaly(spec, record)));
      summary.anomaliesStored += stored.length;
      for (const anomaly of stored) if (isActionableAnomaly(anomaly, spec)) toGroup.push({ anomaly, spec });
      for (const anomaly of stored) {
        const notification: AnomalyNotification = { type: 'anomaly-created', anomalyId: anomaly.id, metric: anomaly.metric, severity: anomaly.severity };
        await deps.eventBus.publish(anomalyTopic(options.workspaceId), notification);
      }
    }
  }
  const grouped = await groupIntoIncidents(deps, options.workspaceId, toGroup);
  await markQuietIncidentsEnded(deps, options.workspaceId, to);
  summary.incidentsOpened = grouped.opened;
  summary.incidentsUpdated = grouped.updated;
  deps.logger.info('Signal detection finished', { workspaceId: options.workspaceId, ...summary });
  return summary;
}
