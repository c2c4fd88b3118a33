import { isActionableAnomaly } from './actionable';
import type { Severity } from './alert-hold';
import { detectAnomalies, type AnomalyRecord } from './detect-anomalies';
import { continueIncidents, groupIntoIncidents, markQuietIncidentsEnded, type DetectedAnomaly, type ExtendedDetection } from './detection-incidents';
import { detectionSeries, loadWatchedSeries, prepareSeries, toSeriesUnits, type DetectionSeriesSpec } from './detection-series';
import type { Detector } from './detector-types';
import { formatMetricValue } from './format-metric-value';
import { describeMetricName } from './incidents';
import { metricDefinitions } from './metric-definitions';
import { createProductionDetector } from './production-detector';
import type { NewAnomaly, SignalsDeps, StoredAnomaly } from './signals-ports';
import { anomalyTopic, type AnomalyNotification } from './signals-service';

export { incidentGapToleranceMs } from './detection-incidents';

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
  /** Stored anomalies this pass extended (a later end, a higher severity or peak, an accepted level shift). */
  anomaliesExtended: number;
  incidentsOpened: number;
  incidentsUpdated: number;
}

/** A record cut at the point where the detector accepted its level as the new normal: the anomaly ends there. */
interface EndedRecord {
  record: AnomalyRecord;
  levelShiftAcceptedAt: number | null;
}

/** The anomaly as stored: values in the series' own units, severity info when not worth acting on. */
function toNewAnomaly(spec: DetectionSeriesSpec, { record: found, levelShiftAcceptedAt }: EndedRecord): NewAnomaly {
  const record = toSeriesUnits(spec, found);
  const severity: Severity = isActionableAnomaly(record, spec) ? record.severity : 'info';
  return {
    ...record, severity, windowStart: new Date(record.windowStart), windowEnd: new Date(record.windowEnd + spec.stepMs),
    levelShiftAcceptedAt: levelShiftAcceptedAt === null ? null : new Date(levelShiftAcceptedAt),
  };
}

/** Passes a detector's outputs through, noting the times of the points where it accepted a level shift as the new normal. */
function noteLevelShifts(detector: Detector, accepted: number[]): Detector {
  return {
    name: detector.name,
    observe(point) {
      const output = detector.observe(point);
      if (output.levelShiftAccepted) accepted.push(point.ts);
      return output;
    },
  };
}

/**
 * The anomaly ends at the point where the detector accepted its level as the
 * new normal. The episode builder knows nothing of acceptance, so an episode
 * still anomalous against the re-anchored baseline right after it (rare: the
 * baseline re-anchors on the level the episode settled on) is cut there too.
 */
function endAtAcceptedShift(record: AnomalyRecord, accepted: readonly number[]): EndedRecord {
  const at = accepted.find((ts) => ts >= record.windowStart && ts <= record.windowEnd);
  return at === undefined ? { record, levelShiftAcceptedAt: null } : { record: { ...record, windowEnd: at }, levelShiftAcceptedAt: at };
}

const hourMs = 3_600_000;

/** "24 h" up to three days, then "14 days". */
function describeDuration(durationMs: number): string {
  return durationMs < 72 * hourMs ? `${Math.round(durationMs / hourMs)} h` : `${Math.round(durationMs / (24 * hourMs))} days`;
}

/**
 * "Churned customers (growth) up: 11 vs expected 1.2 [0, 4.1] over 7 days" or "Latency p95 up: 430.40 ms vs …", in the
 * series' own units, with "; accepted as the new normal after 24 h" once the detector accepted the level.
 */
function describeAnomalies(anomalies: readonly StoredAnomaly[], specOf: (metric: string) => DetectionSeriesSpec | undefined): string {
  return anomalies
    .map((anomaly) => {
      const windowPoints = specOf(anomaly.metric)?.windowPoints ?? 1;
      const window = windowPoints > 1 ? ` over ${windowPoints} days` : '';
      const segment = anomaly.segment ? ` (${anomaly.segment})` : '';
      const value = (amount: number) => formatSummaryValue(anomaly.metric, amount);
      const accepted = anomaly.levelShiftAcceptedAt ? `; accepted as the new normal after ${describeDuration(anomaly.windowEnd.getTime() - anomaly.windowStart.getTime())}` : '';
      return `${describeMetricName(anomaly.metric)}${segment} ${anomaly.direction}: ${value(anomaly.actual)} vs expected ${value(anomaly.expected)} [${value(anomaly.lower)}, ${value(anomaly.upper)}]${window}${accepted}`;
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

/** One watched series of one segment: detected, cut at accepted level shifts, upserted; new rows published. */
async function detectSeries(
  deps: Pick<SignalsDeps, 'anomalies' | 'eventBus'>,
  workspaceId: string,
  spec: DetectionSeriesSpec,
  series: { segment: string; points: readonly { ts: Date; value: number }[] },
): Promise<{ found: number; created: DetectedAnomaly[]; extended: ExtendedDetection[] }> {
  const accepted: number[] = [];
  const records = detectAnomalies(
    prepareSeries([...series.points], spec).map((point) => ({ ts: point.ts.getTime(), value: point.value })),
    {
      metric: spec.metric, segment: series.segment, forPoints: spec.forPoints, keepFiringForPoints: spec.keepFiringForPoints,
      createDetector: () => noteLevelShifts(createProductionDetector({ alertDeviation: spec.alertDeviation }), accepted),
    },
  );
  const upserted = await deps.anomalies.upsertAnomalies(workspaceId, records.map((record) => toNewAnomaly(spec, endAtAcceptedShift(record, accepted))));
  for (const anomaly of upserted.created) {
    const notification: AnomalyNotification = { type: 'anomaly-created', anomalyId: anomaly.id, metric: anomaly.metric, severity: anomaly.severity };
    await deps.eventBus.publish(anomalyTopic(workspaceId), notification);
  }
  return { found: records.length, created: upserted.created.map((anomaly) => ({ anomaly, spec })), extended: upserted.extended.map((anomaly) => ({ anomaly, spec })) };
}

/**
 * The detection job: runs the production detector online over every watched
 * series of the workspace (5-minute telemetry, daily business metrics, churn
 * per plan), stores each fired episode as an Anomaly with its values in the
 * series' own units, ending it where the detector accepted its level as the
 * new normal. Idempotent, and a later pass extends the episodes still going
 * (their end, severity and peak) instead of storing them again. The new ones
 * worth acting on (`isActionableAnomaly`) are grouped into incidents; an
 * extended one moves its incident's `lastSeenAt` on (see `decideContinuation`
 * for incidents resolved meanwhile). Every new anomaly is published on
 * `anomalies:<workspaceId>`. Safe to call after seeding and then periodically.
 */
export async function runDetection(deps: Pick<SignalsDeps, 'series' | 'anomalies' | 'eventBus' | 'logger'>, options: RunDetectionOptions): Promise<DetectionSummary> {
  const to = options.now;
  const from = new Date(to.getTime() - (options.lookbackDays ?? 365) * dayMs);
  const watched = options.series ?? detectionSeries;
  const summary: DetectionSummary = {
    seriesScanned: 0, pointsScanned: 0, anomaliesFound: 0, anomaliesStored: 0, anomaliesExtended: 0, incidentsOpened: 0, incidentsUpdated: 0,
  };
  const created: DetectedAnomaly[] = [];
  const extended: ExtendedDetection[] = [];
  await deps.series.refreshRollups(options.workspaceId, to);
  for (const spec of watched) {
    for (const [segment, points] of await loadWatchedSeries(deps, options.workspaceId, spec, { from, to })) {
      const result = await detectSeries(deps, options.workspaceId, spec, { segment, points });
      summary.seriesScanned += 1;
      summary.pointsScanned += points.length;
      summary.anomaliesFound += result.found;
      summary.anomaliesStored += result.created.length;
      summary.anomaliesExtended += result.extended.length;
      created.push(...result.created);
      extended.push(...result.extended);
    }
  }
  const describe = (anomalies: readonly StoredAnomaly[]) => describeAnomalies(anomalies, (metric) => watched.find((spec) => spec.metric === metric));
  const continued = await continueIncidents(deps, options.workspaceId, extended, { describe, isActionable: isActionableAnomaly });
  const actionable = created.filter(({ anomaly, spec }) => isActionableAnomaly(anomaly, spec));
  const grouped = await groupIntoIncidents(deps, options.workspaceId, [...actionable, ...continued.regroup], describe);
  await markQuietIncidentsEnded(deps, options.workspaceId, to);
  summary.incidentsOpened = grouped.opened;
  summary.incidentsUpdated = grouped.updated + continued.updated;
  deps.logger.info('Signal detection finished', { workspaceId: options.workspaceId, ...summary });
  return summary;
}
