import type { IdGenerator } from '../ports';
import { maxSeverity, type Severity } from './alert-hold';
import type { AnomalyRecord } from './detect-anomalies';
import type { DetectionSeriesSpec } from './detection-series';
import { assignAnomalyToIncident, buildIncidentTitle, decideContinuation, type IncidentRecord } from './incidents';
import type { ExtendedAnomaly, SignalsDeps, StoredAnomaly, StoredIncident } from './signals-ports';
import { anomalyTopic, type IncidentNotification } from './signals-service';

const minuteMs = 60_000;

/** How long after an incident's last anomaly another anomaly of the same family (metric definition category) still joins it. */
export const incidentGapToleranceMs = 36 * 60 * minuteMs;

/** An anomaly the pass stored or extended, with the series it came from. */
export interface DetectedAnomaly {
  anomaly: StoredAnomaly;
  spec: DetectionSeriesSpec;
}

/** A stored anomaly the pass extended, with the series it came from. */
export interface ExtendedDetection {
  anomaly: ExtendedAnomaly;
  spec: DetectionSeriesSpec;
}

/** Whether values of an anomaly of a series are worth acting on (`isActionableAnomaly`). */
export type IsActionable = (values: Pick<StoredAnomaly, 'metric' | 'direction' | 'actual' | 'expected'>, spec: DetectionSeriesSpec) => boolean;

/**
 * An extended anomaly without an incident is grouped only when this pass made
 * it worth acting on. One whose stored values were already worth acting on
 * belongs to a pass that is grouping it right now (or to a deleted incident):
 * grouping it here too would open a second incident for the same episode.
 */
function becameActionable({ anomaly, spec }: ExtendedDetection, isActionable: IsActionable): boolean {
  return anomaly.before !== null && !isActionable({ ...anomaly, ...anomaly.before }, spec) && isActionable(anomaly, spec);
}

/** Writes an incident summary from its anomalies (in the series' own units). */
export type DescribeAnomalies = (anomalies: readonly StoredAnomaly[]) => string;

type IncidentDeps = Pick<SignalsDeps, 'anomalies' | 'eventBus'>;

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

/**
 * Groups anomalies into the workspace's unresolved incidents (or new ones)
 * and attaches them; an anomaly attached elsewhere before moves to its new incident.
 */
export async function groupIntoIncidents(
  deps: IncidentDeps,
  workspaceId: string,
  detected: readonly DetectedAnomaly[],
  describe: DescribeAnomalies,
): Promise<{ opened: number; updated: number }> {
  let counter = 0;
  const ids: IdGenerator = { next: () => `pending:${(counter += 1)}` };
  const active = await deps.anomalies.listActiveIncidents(workspaceId);
  let incidents = active.map(toPureIncident);
  const members = new Map<string, StoredAnomaly[]>();
  for (const { anomaly } of [...detected].sort((a, b) => a.anomaly.windowStart.getTime() - b.anomaly.windowStart.getTime())) {
    const result = assignAnomalyToIncident(incidents, toPureAnomaly(anomaly), { gapToleranceMs: incidentGapToleranceMs, ids });
    incidents = result.incidents;
    members.set(result.incident.id, [...(members.get(result.incident.id) ?? []), anomaly]);
  }
  let opened = 0;
  for (const [incidentId, anomalies] of members) {
    const incident = incidents.find((candidate) => candidate.id === incidentId)!;
    const fields = { severity: incident.severity, metrics: incident.metrics, lastSeenAt: new Date(incident.lastSeenAt) };
    let targetId = incidentId;
    if (incidentId.startsWith('pending:')) {
      const created = await deps.anomalies.createIncident(workspaceId, {
        ...fields, title: buildIncidentTitle(anomalies.map(toPureAnomaly)), summary: describe(anomalies), startedAt: new Date(incident.startedAt), endedAt: null,
      });
      targetId = created.id;
      opened += 1;
      const notification: IncidentNotification = { type: 'incident-opened', incidentId: created.id, metrics: incident.metrics, severity: incident.severity };
      await deps.eventBus.publish(anomalyTopic(workspaceId), notification);
    } else {
      const before = active.find((candidate) => candidate.id === incidentId);
      // An anomaly joining an incident already marked ended within the gap tolerance means it had not ended.
      const reopened = before?.endedAt && fields.lastSeenAt > before.lastSeenAt ? { endedAt: null } : {};
      await deps.anomalies.updateIncident(workspaceId, incidentId, { ...fields, ...reopened });
    }
    await deps.anomalies.attachAnomalies(workspaceId, targetId, anomalies.map((anomaly) => anomaly.id));
    await catchUpWithRacingPass(deps, workspaceId, targetId, fields);
  }
  return { opened, updated: members.size - opened };
}

/**
 * A pass racing this one may have extended an anomaly after this pass stored it
 * and before it was attached: that pass saw no incident to move on (and leaves
 * the grouping to this one), so the incident catches up with its anomalies here.
 */
async function catchUpWithRacingPass(deps: IncidentDeps, workspaceId: string, incidentId: string, written: Pick<StoredIncident, 'lastSeenAt' | 'severity'>): Promise<void> {
  const incident = await deps.anomalies.findIncident(workspaceId, incidentId);
  if (!incident || incident.status === 'resolved') return;
  const lastSeenAt = Math.max(written.lastSeenAt.getTime(), ...incident.anomalies.map((anomaly) => anomaly.windowEnd.getTime()));
  const severity = incident.anomalies.reduce<Severity>((highest, anomaly) => maxSeverity(highest, anomaly.severity), written.severity);
  if (lastSeenAt === written.lastSeenAt.getTime() && severity === written.severity) return;
  await deps.anomalies.updateIncident(workspaceId, incidentId, { lastSeenAt: new Date(lastSeenAt), severity });
}

/**
 * Anomalies a later pass extended: each moves its unresolved incident on
 * (`lastSeenAt`, severity, summary rewritten from its anomalies' peaks) and
 * never opens a second incident for the continuation. The ones to group again
 * (continuing after their incident was resolved, or without an incident and
 * only now worth acting on) are returned; see `decideContinuation`.
 */
export async function continueIncidents(
  deps: IncidentDeps,
  workspaceId: string,
  extended: readonly ExtendedDetection[],
  options: { describe: DescribeAnomalies; isActionable: IsActionable },
): Promise<{ updated: number; regroup: DetectedAnomaly[] }> {
  const regroup: DetectedAnomaly[] = [];
  const byIncident = new Map<string, ExtendedDetection[]>();
  for (const detected of extended) {
    const incidentId = detected.anomaly.incidentId;
    if (incidentId) byIncident.set(incidentId, [...(byIncident.get(incidentId) ?? []), detected]);
    else if (becameActionable(detected, options.isActionable)) regroup.push(detected);
  }
  let updated = 0;
  for (const [incidentId, members] of byIncident) {
    const incident = await deps.anomalies.findIncident(workspaceId, incidentId);
    if (!incident) continue;
    let state = toPureIncident(incident);
    let endedAt = incident.endedAt?.getTime() ?? null;
    let extendedIncident = false;
    for (const detected of members) {
      const decision = decideContinuation({ ...state, endedAt }, toPureAnomaly(detected.anomaly));
      if (decision.kind === 'regroup') regroup.push(detected);
      if (decision.kind !== 'extend') continue;
      state = { ...state, lastSeenAt: decision.lastSeenAt, severity: decision.severity };
      if (decision.clearEnded) endedAt = null;
      extendedIncident = true;
    }
    if (!extendedIncident) continue;
    await deps.anomalies.updateIncident(workspaceId, incidentId, {
      // The incident's anomalies are read after the upsert, so the summary states the extended peaks.
      lastSeenAt: new Date(state.lastSeenAt), severity: state.severity, summary: options.describe(incident.anomalies), ...(endedAt === null ? { endedAt: null } : {}),
    });
    updated += 1;
  }
  return { updated, regroup };
}

/** An incident whose metrics have been quiet for the gap tolerance has ended (it stays open until someone resolves it). */
export async function markQuietIncidentsEnded(deps: Pick<SignalsDeps, 'anomalies'>, workspaceId: string, now: Date): Promise<void> {
  for (const incident of await deps.anomalies.listActiveIncidents(workspaceId)) {
    if (incident.endedAt === null && incident.lastSeenAt.getTime() + incidentGapToleranceMs < now.getTime()) {
      await deps.anomalies.updateIncident(workspaceId, incident.id, { endedAt: incident.lastSeenAt });
    }
  }
}
