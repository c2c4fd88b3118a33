import { AppError } from '../errors';
import type { IdGenerator } from '../ports';
import { maxSeverity, type Severity } from './alert-hold';
import type { AnomalyRecord } from './detect-anomalies';
import { metricDefinitions } from './metric-definitions';

export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';

export interface IncidentRecord {
  id: string;
  title: string;
  status: IncidentStatus;
  severity: Severity;
  metrics: string[];
  startedAt: number;
  lastSeenAt: number;
  anomalies: AnomalyRecord[];
  acknowledgedById: string | null;
  acknowledgedAt: number | null;
  resolvedById: string | null;
  resolvedAt: number | null;
}

export interface GroupingOptions {
  /** How long after an incident's last anomaly a related anomaly still joins it (ms). */
  gapToleranceMs: number;
  /** Whether two metrics can share an incident; defaults to same metric or same definition family. */
  areRelated?: (a: string, b: string) => boolean;
}

const families: Record<string, string> = { revenue: 'business', customers: 'business', growth: 'business', operations: 'operations' };

/** Default relation: the same metric, or two defined metrics of the same family (business or operations). */
export function areMetricsRelated(a: string, b: string): boolean {
  if (a === b) return true;
  const familyA = metricDefinitions[a] ? families[metricDefinitions[a].category] : undefined;
  const familyB = metricDefinitions[b] ? families[metricDefinitions[b].category] : undefined;
  return familyA !== undefined && familyA === familyB;
}

/** A person's name for a metric key, e.g. "Latency p95" for `latency_p95`; an unknown key is shown as is. */
export function describeMetricName(metric: string): string {
  return metricDefinitions[metric]?.name ?? metric;
}

/** "Failed payments up, Latency p95 up" (at most three metrics named; a plan segment in brackets). */
export function buildIncidentTitle(anomalies: readonly AnomalyRecord[]): string {
  const seen = new Map<string, string>();
  for (const anomaly of anomalies) {
    const key = `${anomaly.metric}:${anomaly.segment}`;
    if (seen.has(key)) continue;
    const segment = anomaly.segment ? ` (${anomaly.segment})` : '';
    seen.set(key, `${describeMetricName(anomaly.metric)}${segment} ${anomaly.direction}`);
  }
  const parts = [...seen.values()];
  const head = parts.slice(0, 3).join(', ');
  return parts.length > 3 ? `${head} and ${parts.length - 3} more` : head;
}

function canJoin(incident: IncidentRecord, anomaly: AnomalyRecord, options: GroupingOptions): boolean {
  if (incident.status === 'resolved') return false;
  const related = options.areRelated ?? areMetricsRelated;
  if (!incident.metrics.some((metric) => related(metric, anomaly.metric))) return false;
  return anomaly.windowStart <= incident.lastSeenAt + options.gapToleranceMs && anomaly.windowEnd >= incident.startedAt - options.gapToleranceMs;
}

function addAnomaly(incident: IncidentRecord, anomaly: AnomalyRecord): IncidentRecord {
  const anomalies = [...incident.anomalies, anomaly];
  return {
    ...incident,
    anomalies,
    title: buildIncidentTitle(anomalies),
    severity: maxSeverity(incident.severity, anomaly.severity),
    metrics: [...new Set([...incident.metrics, anomaly.metric])].sort(),
    startedAt: Math.min(incident.startedAt, anomaly.windowStart),
    lastSeenAt: Math.max(incident.lastSeenAt, anomaly.windowEnd),
  };
}

function openIncident(anomaly: AnomalyRecord, id: string): IncidentRecord {
  return {
    id, title: buildIncidentTitle([anomaly]), status: 'open', severity: anomaly.severity, metrics: [anomaly.metric],
    startedAt: anomaly.windowStart, lastSeenAt: anomaly.windowEnd, anomalies: [anomaly],
    acknowledgedById: null, acknowledgedAt: null, resolvedById: null, resolvedAt: null,
  };
}

/**
 * Attaches one anomaly to the first unresolved incident it overlaps (within the
 * gap tolerance) on a related metric, or opens a new incident. Pure: returns
 * the new incident list and the incident the anomaly landed in.
 */
export function assignAnomalyToIncident(
  incidents: readonly IncidentRecord[],
  anomaly: AnomalyRecord,
  options: GroupingOptions & { ids: IdGenerator },
): { incidents: IncidentRecord[]; incident: IncidentRecord; created: boolean } {
  const index = incidents.findIndex((incident) => canJoin(incident, anomaly, options));
  if (index < 0) {
    const incident = openIncident(anomaly, options.ids.next('inc'));
    return { incidents: [...incidents, incident], incident, created: true };
  }
  const incident = addAnomaly(incidents[index]!, anomaly);
  return { incidents: incidents.map((existing, position) => (position === index ? incident : existing)), incident, created: false };
}

/** Groups anomalies (any order) into incidents, processing them by start time. */
export function groupAnomaliesIntoIncidents(anomalies: readonly AnomalyRecord[], options: GroupingOptions & { ids: IdGenerator }): IncidentRecord[] {
  const ordered = [...anomalies].sort((a, b) => a.windowStart - b.windowStart);
  return ordered.reduce<IncidentRecord[]>((incidents, anomaly) => assignAnomalyToIncident(incidents, anomaly, options).incidents, []);
}

/** What a detection pass does with an incident when one of its anomalies was extended (see `decideContinuation`). */
export type ContinuationDecision =
  | { kind: 'extend'; lastSeenAt: number; severity: Severity; clearEnded: boolean }
  | { kind: 'regroup' }
  | { kind: 'ignore' };

/**
 * An anomaly still going after a later pass (its end moved, or its severity
 * rose) keeps its incident alive. For an unresolved incident: `lastSeenAt`
 * moves to the anomaly's end, the severity only rises, and an incident marked
 * ended while the anomaly was in fact still going is no longer ended.
 *
 * A resolved incident stays resolved: it is a person's decision, with their
 * name and time on it, and rewriting it (reopening) would hide that the fix did
 * not hold. When the anomaly goes on after the resolution, the continuation is
 * grouped again like a new anomaly (`regroup`): it joins a related unresolved
 * incident, or opens a new one that pages again, which is what on-call tools do
 * with an alert that fires after its incident was resolved. An extension that
 * ends before the resolution (late data about the past) changes nothing.
 */
export function decideContinuation(
  incident: Pick<IncidentRecord, 'status' | 'lastSeenAt' | 'severity' | 'resolvedAt'> & { endedAt: number | null },
  anomaly: Pick<AnomalyRecord, 'windowEnd' | 'severity'>,
): ContinuationDecision {
  if (incident.status === 'resolved') {
    return incident.resolvedAt !== null && anomaly.windowEnd > incident.resolvedAt ? { kind: 'regroup' } : { kind: 'ignore' };
  }
  const lastSeenAt = Math.max(incident.lastSeenAt, anomaly.windowEnd);
  return { kind: 'extend', lastSeenAt, severity: maxSeverity(incident.severity, anomaly.severity), clearEnded: incident.endedAt !== null && lastSeenAt > incident.lastSeenAt };
}

export type IncidentAction = 'acknowledge' | 'resolve';

/**
 * Lifecycle open -> acknowledged -> resolved (open -> resolved is allowed).
 * Acknowledging twice or touching a resolved incident throws CONFLICT.
 */
export function transitionIncident(incident: IncidentRecord, action: IncidentAction, by: { actorId: string; at: number }): IncidentRecord {
  switch (action) {
    case 'acknowledge':
      if (incident.status !== 'open') {
        throw new AppError('CONFLICT', `Incident ${incident.id} is ${incident.status}; only an open incident can be acknowledged`);
      }
      return { ...incident, status: 'acknowledged', acknowledgedById: by.actorId, acknowledgedAt: by.at };
    case 'resolve':
      if (incident.status === 'resolved') throw new AppError('CONFLICT', `Incident ${incident.id} is already resolved`);
      return { ...incident, status: 'resolved', resolvedById: by.actorId, resolvedAt: by.at };
    default: {
      const unreachable: never = action;
      throw new AppError('BAD_REQUEST', `Unknown incident action ${String(unreachable)}`);
    }
  }
}
