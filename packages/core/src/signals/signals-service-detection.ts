import type { IdGenerator } from '../ports';
import type { Severity } from './alert-hold';
import { detectAnomalies, type AnomalyRecord } from './detect-anomalies';
import { assignAnomalyToIncident, buildIncidentTitle, type IncidentRecord } from './incidents';
import { createProductionDetector } from './production-detector';
import type { DailyCountKind, NewAnomaly, SeriesPoint, SignalsDeps, StoredAnomaly, StoredIncident } from './signals-ports';
import { anomalyTopic, type AnomalyNotification, type IncidentNotification } from './signals-service';

const minuteMs = 60_000;
const dayMs = 86_400_000;

type Family = 'operations' | 'business';

/** One series the detection job scans, where it comes from and which way is bad. */
export interface DetectionSeriesSpec {
  metric: string;
  source: { kind: 'points'; interval: '5m' | '1d' } | { kind: 'daily-counts'; countKind: DailyCountKind };
  stepMs: number;
  /** Anomalies the other way are stored (severity info) but open no incident. */
  badDirection: 'up' | 'down' | 'both';
  family: Family;
  /** Consecutive anomalous points before an alert fires, and points it keeps firing after. */
  forPoints: number;
  keepFiringForPoints: number;
  alertDeviation: number;
  /** Judge the trailing sum of this many points (1 = raw): a sustained shift too small for one day adds up over several. */
  windowPoints: number;
  /**
   * Counts of rare events (a few per day) are judged on the Anscombe scale
   * 2 sqrt(x + 3/8), where Poisson noise has unit variance at any rate, so a
   * day with 2 churns is not "infinitely" unusual after many days with 0.
   */
  countTransform: boolean;
  /**
   * Practical significance for counts: the window's count must exceed the expected count by at
   * least this many events before the anomaly opens an incident (two churns in a week where 0.3
   * are usual is statistically odd but nobody's emergency). Smaller ones are kept as info.
   */
  minimumExcess?: number;
}

function telemetry(metric: string, badDirection: DetectionSeriesSpec['badDirection']): DetectionSeriesSpec {
  // Two points (10 minutes) must agree before paging: single 5-minute blips are noise at this volume.
  return {
    metric, source: { kind: 'points', interval: '5m' }, stepMs: 5 * minuteMs, badDirection, family: 'operations',
    forPoints: 2, keepFiringForPoints: 6, alertDeviation: 5, windowPoints: 1, countTransform: false,
  };
}

function daily(
  metric: string,
  source: DetectionSeriesSpec['source'],
  options: Pick<DetectionSeriesSpec, 'badDirection'> & Partial<DetectionSeriesSpec>,
): DetectionSeriesSpec {
  return { metric, source, stepMs: dayMs, family: 'business', forPoints: 1, keepFiringForPoints: 1, alertDeviation: 4, windowPoints: 1, countTransform: false, ...options };
}

const dailyPoints = { kind: 'points', interval: '1d' } as const;
const dailyCounts = (countKind: DailyCountKind) => ({ kind: 'daily-counts', countKind }) as const;

/** The series OpsPilot watches in every workspace: 5-minute API telemetry and daily business metrics. */
export const detectionSeries: readonly DetectionSeriesSpec[] = [
  telemetry('api_latency_p95_ms', 'up'),
  telemetry('api_latency_p50_ms', 'up'),
  telemetry('api_errors', 'up'),
  telemetry('api_requests', 'down'),
  daily('signups', dailyPoints, { badDirection: 'down', windowPoints: 3 }),
  daily('active_users', dailyPoints, { badDirection: 'down' }),
  daily('failed_payments', dailyCounts('failed_payments'), { badDirection: 'up', countTransform: true, alertDeviation: 5, minimumExcess: 4 }),
  // Churn per plan is a few customers a week: judged on weekly sums, a one-day blip of two is not a trend.
  daily('customer_churn', dailyCounts('customer_churn'), { badDirection: 'up', windowPoints: 7, countTransform: true, alertDeviation: 4.5, minimumExcess: 3 }),
  daily('ticket_volume', dailyCounts('ticket_volume'), { badDirection: 'up', family: 'operations', countTransform: true, alertDeviation: 5, minimumExcess: 5 }),
];

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

/** Trailing sums over `windowPoints` and the count transform; timestamps stay those of the last point. */
export function prepareSeries(points: readonly SeriesPoint[], spec: Pick<DetectionSeriesSpec, 'windowPoints' | 'countTransform'>): SeriesPoint[] {
  const prepared: SeriesPoint[] = [];
  let sum = 0;
  points.forEach((point, index) => {
    sum += point.value;
    if (index >= spec.windowPoints) sum -= points[index - spec.windowPoints]!.value;
    if (index + 1 < spec.windowPoints) return;
    prepared.push({ ts: point.ts, value: spec.countTransform ? 2 * Math.sqrt(Math.max(0, sum) + 0.375) : sum });
  });
  return prepared;
}

/** Groups by segment and fills missing days with 0: a day without churn is a 0, not a gap. */
function fillDailyCounts(rows: readonly (SeriesPoint & { segment: string })[], from: Date, to: Date): Map<string, SeriesPoint[]> {
  const bySegment = new Map<string, Map<number, number>>();
  for (const row of rows) {
    const days = bySegment.get(row.segment) ?? new Map<number, number>();
    days.set(row.ts.getTime(), (days.get(row.ts.getTime()) ?? 0) + row.value);
    bySegment.set(row.segment, days);
  }
  if (bySegment.size === 0) bySegment.set('', new Map());
  const first = Math.ceil(from.getTime() / dayMs) * dayMs;
  const result = new Map<string, SeriesPoint[]>();
  for (const [segment, days] of bySegment) {
    const points: SeriesPoint[] = [];
    for (let time = first; time + dayMs <= to.getTime(); time += dayMs) points.push({ ts: new Date(time), value: days.get(time) ?? 0 });
    result.set(segment, points);
  }
  return result;
}

async function loadSeries(deps: Pick<SignalsDeps, 'series'>, workspaceId: string, spec: DetectionSeriesSpec, from: Date, to: Date): Promise<Map<string, SeriesPoint[]>> {
  if (spec.source.kind === 'daily-counts') {
    return fillDailyCounts(await deps.series.loadDailyCounts(workspaceId, { kind: spec.source.countKind, from, to }), from, to);
  }
  const points = await deps.series.loadMetricPoints(workspaceId, { metric: spec.metric, interval: spec.source.interval, segment: '', from, to });
  // Only complete buckets: a half-filled bucket would look like a drop.
  return new Map([['', points.filter((point) => point.ts.getTime() + spec.stepMs <= to.getTime())]]);
}

function isBad(spec: DetectionSeriesSpec, record: Pick<AnomalyRecord, 'direction'>): boolean {
  return spec.badDirection === 'both' || spec.badDirection === record.direction;
}

/** Back from the Anscombe scale to counts, so the excess is in events. */
function toCount(spec: DetectionSeriesSpec, value: number): number {
  return spec.countTransform ? Math.max(0, (value / 2) ** 2 - 0.375) : value;
}

/** Bad direction and, for counts, large enough in events to act on. */
export function isActionable(spec: DetectionSeriesSpec, record: Pick<AnomalyRecord, 'direction' | 'actual' | 'expected'>): boolean {
  if (!isBad(spec, record)) return false;
  if (spec.minimumExcess === undefined) return true;
  return Math.abs(toCount(spec, record.actual) - toCount(spec, record.expected)) >= spec.minimumExcess;
}

function toNewAnomaly(spec: DetectionSeriesSpec, record: AnomalyRecord): NewAnomaly {
  const severity: Severity = isActionable(spec, record) ? record.severity : 'info';
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

/** How long after an incident's last anomaly another anomaly of the same family still joins it. */
export const incidentGapToleranceMs = 36 * 60 * minuteMs;

async function groupIntoIncidents(
  deps: Pick<SignalsDeps, 'anomalies' | 'eventBus'>,
  workspaceId: string,
  stored: readonly { anomaly: StoredAnomaly; family: Family }[],
): Promise<{ opened: number; updated: number }> {
  const familyOf = new Map(stored.map(({ anomaly, family }) => [anomaly.metric, family]));
  const areRelated = (a: string, b: string) => a === b || (familyOf.get(a) !== undefined && familyOf.get(a) === familyOf.get(b));
  let counter = 0;
  const ids: IdGenerator = { next: () => `pending:${(counter += 1)}` };
  let incidents = (await deps.anomalies.listActiveIncidents(workspaceId)).map(toPureIncident);
  const members = new Map<string, string[]>();
  for (const { anomaly } of [...stored].sort((a, b) => a.anomaly.windowStart.getTime() - b.anomaly.windowStart.getTime())) {
    const result = assignAnomalyToIncident(incidents, toPureAnomaly(anomaly), { gapToleranceMs: incidentGapToleranceMs, areRelated, ids });
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
        ...fields, title: buildIncidentTitle(anomalies), summary: describeAnomalies(anomalies), startedAt: new Date(incident.startedAt), endedAt: null,
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

function describeAnomalies(anomalies: readonly AnomalyRecord[]): string {
  return anomalies
    .map((anomaly) => `${anomaly.metric}${anomaly.segment ? ` (${anomaly.segment})` : ''} ${anomaly.direction}: ${round(anomaly.actual)} vs expected ${round(anomaly.expected)} [${round(anomaly.lower)}, ${round(anomaly.upper)}]`)
    .join('; ');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
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
 * per plan), stores each fired episode as an Anomaly (idempotent: a re-run
 * stores only episodes not stored before), groups the bad-direction ones
 * into incidents and publishes every new anomaly on `anomalies:<workspaceId>`.
 * Safe to call after seeding and then periodically.
 */
export async function runDetection(deps: Pick<SignalsDeps, 'series' | 'anomalies' | 'eventBus' | 'logger'>, options: RunDetectionOptions): Promise<DetectionSummary> {
  const to = options.now;
  const from = new Date(to.getTime() - (options.lookbackDays ?? 365) * dayMs);
  const summary: DetectionSummary = { seriesScanned: 0, pointsScanned: 0, anomaliesFound: 0, anomaliesStored: 0, incidentsOpened: 0, incidentsUpdated: 0 };
  const toGroup: { anomaly: StoredAnomaly; family: Family }[] = [];
  await deps.series.refreshRollups(options.workspaceId, to);
  for (const spec of options.series ?? detectionSeries) {
    for (const [segment, points] of await loadSeries(deps, options.workspaceId, spec, from, to)) {
      const records = detectAnomalies(
        prepareSeries(points, spec).map((point) => ({ ts: point.ts.getTime(), value: point.value })),
        { metric: spec.metric, segment, forPoints: spec.forPoints, keepFiringForPoints: spec.keepFiringForPoints, createDetector: () => createProductionDetector({ alertDeviation: spec.alertDeviation }) },
      );
      summary.seriesScanned += 1;
      summary.pointsScanned += points.length;
      summary.anomaliesFound += records.length;
      const stored = await deps.anomalies.insertAnomalies(options.workspaceId, records.map((record) => toNewAnomaly(spec, record)));
      summary.anomaliesStored += stored.length;
      for (const anomaly of stored) if (isActionable(spec, anomaly)) toGroup.push({ anomaly, family: spec.family });
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
