import { findDetectionSeries, readWatchedSeries, runDetection, type DetectionSummary, type SignalsDeps, type StoredAnomaly, type StoredIncident } from '@opspilot/core/signals';
import { createSignalsStores } from '@opspilot/db';
import type { Runtime } from '../runtime';

const depsByRuntime = new WeakMap<Runtime, SignalsDeps>();

/** The signals service's deps for a runtime, built once: db stores plus the runtime's bus, clock and logger. */
export function signalsDepsOf(runtime: Runtime): SignalsDeps {
  let deps = depsByRuntime.get(runtime);
  if (!deps) {
    deps = { ...createSignalsStores(runtime.db), eventBus: runtime.eventBus, clock: runtime.clock, logger: runtime.logger };
    depsByRuntime.set(runtime, deps);
  }
  return deps;
}

const hourMs = 3_600_000;

/**
 * The watched series of each metric of an incident around its window, as
 * detection judged it and in the units its anomalies are stored in (trailing
 * 7-day sums for weekly-judged churn): six hours either side for 5-minute
 * telemetry, seven days for daily metrics (up to now).
 */
export async function readIncidentSeries(
  deps: Pick<SignalsDeps, 'series' | 'clock'>,
  workspaceId: string,
  incident: StoredIncident & { anomalies: StoredAnomaly[] },
): Promise<{ metric: string; segment: string; points: { ts: string; value: number }[] }[]> {
  const keys = [...new Map(incident.anomalies.map((anomaly) => [`${anomaly.metric}\u0000${anomaly.segment}`, anomaly])).values()].slice(0, 6);
  const result = [];
  for (const { metric, segment } of keys) {
    const spec = findDetectionSeries(metric);
    if (!spec) continue;
    const margin = spec.stepMs < 24 * hourMs ? 6 * hourMs : 7 * 24 * hourMs;
    // Not past now: days that have not happened would be drawn as zero counts.
    const to = new Date(Math.min(incident.lastSeenAt.getTime() + margin, deps.clock.now().getTime()));
    const range = { from: new Date(incident.startedAt.getTime() - margin), to, segment };
    const points = await readWatchedSeries(deps, workspaceId, spec, range);
    result.push({ metric, segment, points: points.map((point) => ({ ts: point.ts.toISOString(), value: point.value })) });
  }
  return result;
}

/**
 * Runs the detection job for every workspace (boot after seeding, then a
 * timer). Each workspace is scanned on its own, and one failing workspace is
 * logged without stopping the others. The first run over a seeded year takes
 * seconds (PGlite), so callers should not await it before serving.
 */
export async function runSignalsDetection(runtime: Runtime, options: { lookbackDays?: number } = {}): Promise<DetectionSummary[]> {
  const workspaces = await runtime.db.prisma.workspace.findMany({ select: { id: true } });
  const summaries: DetectionSummary[] = [];
  for (const { id } of workspaces) {
    try {
      summaries.push(await runDetection(signalsDepsOf(runtime), { workspaceId: id, now: runtime.clock.now(), ...options }));
    } catch (error) {
      runtime.logger.error('Signal detection failed', { workspaceId: id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return summaries;
}
