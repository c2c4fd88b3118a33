import { anomalyTopic, isActionableAnomaly, type AnomalyNotification, type IncidentNotification } from '@opspilot/core/signals';
import type { RemediationSignal } from '@opspilot/core/workflows';
import type { Runtime } from '../runtime';
import { createInFlightWork } from '../ops/in-flight';

type BridgeRuntime = Pick<Runtime, 'db' | 'eventBus' | 'workflows' | 'logger' | 'clock'>;

/** Anomalies whose window ended longer ago are history (a detection pass over past data), not something to remediate now. */
const maximumAnomalyAgeMs = 6 * 60 * 60 * 1000;

interface StoredAnomalyRow {
  id: string;
  metric: string;
  segment: string;
  score: number;
  actual: number;
  expected: number;
  windowEnd: Date;
  direction: 'up' | 'down';
  severity: 'info' | 'warning' | 'critical';
}

export function toRemediationSignal(anomaly: StoredAnomalyRow): RemediationSignal {
  return {
    kind: 'anomaly', id: anomaly.id, metric: anomaly.metric, severity: anomaly.severity,
    ...(anomaly.segment ? { labels: { segment: anomaly.segment } } : {}),
    confidence: Math.min(1, Math.max(0, anomaly.score)),
  };
}

/** Offers one stored anomaly that is worth acting on (bad direction, enough excess) to the workspace's policies; each policy starts its workflow at most once per anomaly (run idempotency key). */
export async function offerAnomalyToPolicies(runtime: BridgeRuntime, workspaceId: string, anomalyId: string): Promise<void> {
  const anomaly = await runtime.db.prisma.anomaly.findFirst({
    where: { id: anomalyId, workspaceId }, select: { id: true, metric: true, segment: true, score: true, actual: true, expected: true, windowEnd: true, direction: true, severity: true },
  });
  // Core's one rule: a latency drop or a revenue rise is good news, and a tiny count excess is not worth a run.
  if (!anomaly || !isActionableAnomaly(anomaly)) return;
  if (runtime.clock.now().getTime() - anomaly.windowEnd.getTime() > maximumAnomalyAgeMs) return;
  const decisions = await runtime.workflows.handleSignal({ workspaceId, signal: toRemediationSignal(anomaly) });
  for (const decision of decisions) runtime.logger.info('Remediation policy matched an anomaly', { workspaceId, anomalyId, ...decision });
}

/**
 * Offers a newly opened incident to the policies (kind `incident`, every metric of the incident
 * may match). Only incidents still live: one whose last anomaly is older than the anomaly age
 * limit is history, not something to remediate now. Confidence is the strongest anomaly's score.
 */
export async function offerIncidentToPolicies(runtime: BridgeRuntime, workspaceId: string, incidentId: string): Promise<void> {
  const incident = await runtime.db.prisma.incident.findFirst({
    where: { id: incidentId, workspaceId, status: { not: 'resolved' } },
    select: { id: true, metrics: true, severity: true, lastSeenAt: true, anomalies: { select: { score: true } } },
  });
  if (!incident?.metrics[0]) return;
  if (runtime.clock.now().getTime() - incident.lastSeenAt.getTime() > maximumAnomalyAgeMs) return;
  const confidence = Math.min(1, Math.max(0, ...incident.anomalies.map((anomaly) => anomaly.score)));
  const signal: RemediationSignal = { kind: 'incident', id: incident.id, metric: incident.metrics[0], metrics: incident.metrics, severity: incident.severity, confidence };
  const decisions = await runtime.workflows.handleSignal({ workspaceId, signal });
  for (const decision of decisions) runtime.logger.info('Remediation policy matched an incident', { workspaceId, incidentId, ...decision });
}

/**
 * Connects signal detection to the remediation policies: listens on
 * `anomalies:<workspaceId>` of every workspace with an enabled policy (the
 * list is refreshed every `refreshMs`) and offers each new anomaly to
 * `engine.handleSignal`. Several processes may run it at once: the run
 * idempotency key `policy:<id>:anomaly:<anomalyId>` starts one run.
 * Returns the stop function, which resolves once the refresh and the offers
 * in flight are over (the database may be closed right after).
 */
export function startRemediationBridge(options: { runtime: BridgeRuntime; refreshMs?: number }): () => Promise<void> {
  const { runtime } = options;
  const subscriptions = new Map<string, Promise<() => Promise<void>>>();
  // Refreshes and offers running now (never rejecting): stop() waits for them.
  const inFlight = createInFlightWork();
  let stopped = false;
  const track = (work: Promise<void>) => void inFlight.track(work);
  const onNotification = (workspaceId: string) => (payload: unknown) => {
    if (stopped) return;
    const notification = payload as Partial<AnomalyNotification | IncidentNotification> | null;
    const offer =
      notification?.type === 'anomaly-created' && typeof notification.anomalyId === 'string'
        ? offerAnomalyToPolicies(runtime, workspaceId, notification.anomalyId)
        : notification?.type === 'incident-opened' && typeof notification.incidentId === 'string'
          ? offerIncidentToPolicies(runtime, workspaceId, notification.incidentId)
          : null;
    if (!offer) return;
    track(offer.catch((error: unknown) =>
      runtime.logger.error('Offering a signal to the remediation policies failed', { workspaceId, error: error instanceof Error ? error.message : String(error) }),
    ));
  };
  const subscribe = (workspaceId: string) => {
    const subscribed = runtime.eventBus.subscribe(anomalyTopic(workspaceId), onNotification(workspaceId));
    subscriptions.set(workspaceId, subscribed);
    // A failed subscription (the LISTEN connection is down) must not become an unhandled rejection; the next refresh retries it.
    subscribed.catch((error: unknown) => {
      if (subscriptions.get(workspaceId) === subscribed) subscriptions.delete(workspaceId);
      runtime.logger.warn('Remediation bridge could not subscribe', { workspaceId, error: String(error) });
    });
  };
  const refresh = async () => {
    const rows = await runtime.db.prisma.remediationPolicy.findMany({ where: { enabled: true }, select: { workspaceId: true }, distinct: ['workspaceId'] });
    if (stopped) return;
    const wanted = new Set(rows.map((row) => row.workspaceId));
    for (const workspaceId of wanted) {
      if (!subscriptions.has(workspaceId)) subscribe(workspaceId);
    }
    for (const [workspaceId, unsubscribe] of subscriptions) {
      if (wanted.has(workspaceId)) continue;
      subscriptions.delete(workspaceId);
      await (await unsubscribe)();
    }
  };
  const tick = () => track(refresh().catch((error: unknown) => runtime.logger.warn('Remediation bridge refresh failed', { error: String(error) })));
  tick();
  const timer = setInterval(tick, options.refreshMs ?? 60_000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await inFlight.drain();
    const unsubscribes = [...subscriptions.values()];
    subscriptions.clear();
    await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe.then((stop) => stop()).catch(() => undefined)));
  };
}
