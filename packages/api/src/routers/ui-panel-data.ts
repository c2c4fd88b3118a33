import { TRPCError } from '@trpc/server';
import {
  computeExpectedBand, metricKeyForSignal, resolveQueryRange, signalsForMetric,
  type DataQuery, type IncidentQuery, type MetricQuery,
} from '@opspilot/core/experience';
import { describeAnomalyValues, findDetectionSeries, metricDefinitions, readMetricSeries, type StoredAnomaly } from '@opspilot/core/signals';
import { readPanelTable, readPayingCohorts, readWorkspaceCapabilities } from '@opspilot/db';
import type { Runtime } from '../runtime';
import { readIncidentSeries, signalsDepsOf } from './signals-support';

export interface SeriesData {
  key: string;
  label: string;
  points: { at: string; value: number | null; expected: number | null; lower: number | null; upper: number | null }[];
}

export interface AnomalyMarker {
  at: string;
  value: number;
  expected: number;
  severity: 'info' | 'warning' | 'critical';
  metric: string;
}

function toMarker(anomaly: StoredAnomaly): AnomalyMarker {
  return { at: anomaly.windowStart.toISOString(), value: anomaly.actual, expected: anomaly.expected, severity: anomaly.severity, metric: anomaly.metric };
}

async function readOneSeries(runtime: Runtime, workspaceId: string, query: MetricQuery, segment: string | undefined, withBand: boolean): Promise<SeriesData> {
  const { from, to } = resolveQueryRange(query, runtime.clock.now());
  const series = await readMetricSeries(signalsDepsOf(runtime), workspaceId, { metric: query.metric, interval: query.interval, from, to, ...(segment ? { segment } : {}) });
  const values = series.points.map((point) => point.value);
  const band = withBand ? computeExpectedBand(values, { window: query.interval === 'day' ? 14 : 8 }) : [];
  return {
    key: segment ?? query.metric,
    label: segment ?? series.definition.name,
    points: series.points.map((point, index) => ({ at: point.start.toISOString(), value: point.value, expected: band[index]?.expected ?? null, lower: band[index]?.lower ?? null, upper: band[index]?.upper ?? null })),
  };
}

/** A metric query: one series (or one per plan), the expected band, and the detectors' anomalies in range. */
export async function readMetricPanel(runtime: Runtime, workspaceId: string, query: MetricQuery) {
  const definition = metricDefinitions[query.metric];
  if (!definition) throw new TRPCError({ code: 'BAD_REQUEST', message: `Unknown metric "${query.metric}".` });
  let series: SeriesData[];
  if (query.groupBy === 'plan' && definition.segmentable) {
    const { plans } = await readWorkspaceCapabilities(runtime.db, workspaceId, runtime.clock.now());
    series = await Promise.all(plans.slice(0, 6).map((plan) => readOneSeries(runtime, workspaceId, query, plan, false)));
  } else {
    series = [await readOneSeries(runtime, workspaceId, query, query.segment, true)];
  }
  const { from, to } = resolveQueryRange(query, runtime.clock.now());
  const anomalies = query.groupBy ? [] : (await Promise.all(signalsForMetric(query.metric).map((metric) =>
    signalsDepsOf(runtime).anomalies.listAnomalies(workspaceId, { limit: 100, from, to, metric })))).flat();
  const markers = anomalies.map(toMarker).map((marker) => snapToSeries(marker, series[0]?.points ?? [], !isOnChartScale(marker.metric, query))).filter((marker) => marker !== null);
  return { kind: 'metric' as const, unit: definition.unit, name: definition.name, directionOfGood: definition.directionOfGood, series, anomalies: markers };
}

const dayMs = 86_400_000;

/**
 * Whether an anomaly's stored values are on the chart's scale: the same metric,
 * judged per day on a daily chart, not as a window sum (sign-ups are judged on
 * 3-day sums, which a daily chart does not show).
 */
function isOnChartScale(metric: string, query: MetricQuery): boolean {
  const spec = findDetectionSeries(metric);
  return metric === query.metric && query.interval === 'day' && spec?.stepMs === dayMs && spec.windowPoints === 1;
}

/**
 * An anomaly off the chart's scale (5-minute `error_count` or `latency_p95` on a
 * daily chart, a 3-day sign-up sum on a daily one) is drawn on the period that
 * contains it, at the period's value.
 */
function snapToSeries(marker: AnomalyMarker, points: SeriesData['points'], snap: boolean): AnomalyMarker | null {
  if (!snap) return marker;
  const at = Date.parse(marker.at);
  const index = points.findLastIndex((point) => Date.parse(point.at) <= at);
  const point = points[index];
  if (!point || point.value === null) return null;
  return { ...marker, at: point.at, value: point.value, expected: point.expected ?? point.value };
}

/** Incidents (or one pinned incident) with their watched series and an expected band from the anomalies. */
export async function readIncidentPanel(runtime: Runtime, workspaceId: string, query: IncidentQuery) {
  const deps = signalsDepsOf(runtime);
  const listed = query.incidentId ? [] : await deps.anomalies.listIncidents(workspaceId, { limit: query.limit, ...(query.status === 'open' ? { status: 'open' as const } : {}) });
  const ids = query.incidentId ? [query.incidentId] : listed.map((incident) => incident.id);
  const incidents = [];
  for (const id of ids.slice(0, query.limit)) {
    const incident = await deps.anomalies.findIncident(workspaceId, id);
    if (!incident) continue;
    const series = await readIncidentSeries(deps, workspaceId, incident);
    incidents.push({
      id: incident.id, title: incident.title, summary: incident.summary, status: incident.status, severity: incident.severity,
      startedAt: incident.startedAt.toISOString(), lastSeenAt: incident.lastSeenAt.toISOString(),
      metrics: incident.metrics.map(metricKeyForSignal),
      series: series.map((entry) => ({
        key: `${entry.metric}:${entry.segment}`, ...describeIncidentSeries(entry),
        points: withIncidentBand(entry.points, incident.anomalies.filter((anomaly) => anomaly.metric === entry.metric && anomaly.segment === entry.segment)),
      })),
      anomalies: incident.anomalies.map((anomaly) =>
        placeIncidentMarker(anomaly, series.find((entry) => entry.metric === anomaly.metric && entry.segment === anomaly.segment)?.points ?? [])),
    });
  }
  return { kind: 'incidents' as const, incidents };
}

/** "Churned customers (growth), sum over 7 days" and the unit its values and band are in. */
function describeIncidentSeries(entry: { metric: string; segment: string }): { label: string; unit: string } {
  const { metricName, unit, valueWindow } = describeAnomalyValues(entry.metric);
  return { label: `${metricName}${entry.segment ? ` (${entry.segment})` : ''}${valueWindow ? `, ${valueWindow}` : ''}`, unit };
}

function isFlaggedBy(anomaly: StoredAnomaly, at: number): boolean {
  return anomaly.windowStart.getTime() <= at && at < Math.max(anomaly.windowEnd.getTime(), anomaly.windowStart.getTime() + 1);
}

/**
 * The detectors' band where they flagged points; a trailing robust band elsewhere, computed as if
 * the flagged points had been what the detectors expected, so the incident itself does not widen
 * or lift the band drawn after it. A series that never goes below zero gets no band below zero.
 */
export function withIncidentBand(points: { ts: string; value: number }[], anomalies: StoredAnomaly[]): SeriesData['points'] {
  const flags = points.map((point) => anomalies.find((anomaly) => isFlaggedBy(anomaly, Date.parse(point.ts))));
  const band = computeExpectedBand(points.map((point, index) => flags[index]?.expected ?? point.value), { window: 24 });
  const floor = points.every((point) => point.value >= 0) ? 0 : Number.NEGATIVE_INFINITY;
  return points.map((point, index) => {
    const flagged = flags[index];
    const fallback = band[index];
    const lower = flagged ? flagged.lower : (fallback?.lower ?? null);
    return {
      at: point.ts, value: point.value,
      expected: flagged ? flagged.expected : (fallback?.expected ?? null),
      lower: lower === null ? null : Math.max(floor, lower),
      upper: flagged ? flagged.upper : (fallback?.upper ?? null),
    };
  });
}

/**
 * An incident anomaly's marker sits on the point it reports: the flagged point whose value is
 * nearest the stored actual (a windowed anomaly spans several days; its actual is the peak sum,
 * not the first day's). Without a drawn point in its window it stays at the window's start.
 */
export function placeIncidentMarker(anomaly: StoredAnomaly, points: readonly { ts: string; value: number }[]): AnomalyMarker {
  const marker = toMarker(anomaly);
  const inWindow = points.filter((point) => isFlaggedBy(anomaly, Date.parse(point.ts)));
  const nearest = inWindow.reduce<{ ts: string; value: number } | null>(
    (best, point) => (best === null || Math.abs(point.value - anomaly.actual) < Math.abs(best.value - anomaly.actual) ? point : best), null);
  return nearest ? { ...marker, at: nearest.ts, value: nearest.value } : marker;
}

async function readMovements(runtime: Runtime, workspaceId: string, limit: number) {
  const now = runtime.clock.now();
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - limit + 1, 1));
  const series = await readMetricSeries(signalsDepsOf(runtime), workspaceId, { metric: 'mrr', interval: 'month', from, to });
  return {
    kind: 'table' as const,
    columns: [{ key: 'month', label: 'Month', kind: 'text' as const }, ...(['new', 'expansion', 'reactivation', 'contraction', 'churn'] as const).map((key) => ({ key, label: key[0]!.toUpperCase() + key.slice(1), kind: 'money' as const }))],
    rows: series.points.map((point): Record<string, string | number | null> => ({ month: point.start.toISOString().slice(0, 7), new: point.movements?.new ?? 0, expansion: point.movements?.expansion ?? 0, reactivation: point.movements?.reactivation ?? 0, contraction: -(point.movements?.contraction ?? 0), churn: -(point.movements?.churn ?? 0) })),
  };
}

/** Resolves a panel's declared query against the workspace's data. */
export async function resolvePanelData(runtime: Runtime, workspaceId: string, query: DataQuery) {
  const now = runtime.clock.now();
  switch (query.kind) {
    case 'metric':
      return readMetricPanel(runtime, workspaceId, query);
    case 'incidents':
      return readIncidentPanel(runtime, workspaceId, query);
    case 'table':
      if (query.source === 'mrr-movements') return readMovements(runtime, workspaceId, query.limit);
      return { kind: 'table' as const, ...(await readPanelTable(runtime.db, workspaceId, query.source, query.limit, now)) };
    case 'cohort':
      return { kind: 'cohort' as const, cohorts: await readPayingCohorts(runtime.db, workspaceId, query.months, now) };
    case 'approvals':
    case 'workflow':
      return { kind: 'unavailable' as const, reason: `${query.kind === 'workflow' ? 'Workflow runs' : 'Approvals'} are not available through the UI API yet.` };
  }
}
