import { AppError } from '../errors';
import { computeMetricSeries, type MetricSeries } from './compute-metric-series';
import {
  IngestBatchInput,
  maximumIngestBatchSize,
  resolveActorId,
  SignalEventInput,
  StandardWebhookBody,
  type IngestItemError,
  type IngestResult,
  type ValidSignalEvent,
} from './ingest-schemas';
import { MetricSeriesInput } from './metric-types';
import { applyEventsToDailyRollups, type RollupEvent } from './rollups';
import type { StoredAnomaly, StoredIncident, IncidentStatusValue, RollupDelta, SignalsDeps } from './signals-ports';
import { enumeratePeriods } from './time-buckets';

const dayMs = 86_400_000;

/** Daily periods one metric request may span (ten years); beyond that a coarser interval is the answer. */
const maximumPeriods = 3660;

/**
 * Event types that feed the standard daily rollups. Every event also counts
 * in `event_count` (segment = its type), so any event type can be charted.
 */
const rollupKindByType: Readonly<Record<string, 'signup' | 'ticket' | 'failed-payment'>> = {
  signup: 'signup',
  'user.signed_up': 'signup',
  'ticket.created': 'ticket',
  'payment.failed': 'failed-payment',
};

function toRollupEvent(event: ValidSignalEvent): RollupEvent | null {
  if (event.type === 'metric') {
    const { name, value, segment } = event.properties;
    if (typeof name !== 'string' || typeof value !== 'number' || !Number.isFinite(value)) return null;
    return { kind: 'point', point: { metric: name, ts: event.occurredAt, value, segment: typeof segment === 'string' ? segment : '' } };
  }
  const kind = rollupKindByType[event.type];
  if (kind === undefined) return null;
  return kind === 'failed-payment' ? { kind, occurredAt: event.occurredAt } : { kind, createdAt: event.occurredAt };
}

/**
 * What newly stored events add to the daily rollups: core's fold
 * (`applyEventsToDailyRollups` over empty buckets gives the per-day deltas)
 * plus one `event_count` per event type. Pure.
 */
export function computeRollupDeltas(events: readonly ValidSignalEvent[]): RollupDelta[] {
  const rollupEvents = events.map(toRollupEvent).filter((event): event is RollupEvent => event !== null);
  const { buckets } = applyEventsToDailyRollups([], rollupEvents, { customersWithRevenue: [] });
  const counts = new Map<string, RollupDelta>();
  for (const event of events) {
    const day = Math.floor(event.occurredAt.getTime() / dayMs);
    const key = `${event.type}|${day}`;
    let delta = counts.get(key);
    if (!delta) {
      delta = { metric: 'event_count', segment: event.type, ts: new Date(day * dayMs), value: 0, count: 0 };
      counts.set(key, delta);
    }
    delta.value += 1;
    delta.count += 1;
  }
  return [...buckets, ...counts.values()];
}

function validateBatch(items: readonly unknown[]): { valid: ValidSignalEvent[]; errors: IngestItemError[] } {
  const valid: ValidSignalEvent[] = [];
  const errors: IngestItemError[] = [];
  items.forEach((item, index) => {
    const parsed = SignalEventInput.safeParse(item);
    if (!parsed.success) {
      const id = typeof item === 'object' && item !== null && 'id' in item && typeof item.id === 'string' ? item.id : null;
      errors.push({ index, id, issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) });
      return;
    }
    const { id, type, source, occurredAt, properties, actorId } = parsed.data;
    const actor = resolveActorId(actorId, properties);
    valid.push({ eventId: id, type, source, occurredAt: new Date(occurredAt), properties, ...(actor === undefined ? {} : { actorId: actor }) });
  });
  return { valid, errors };
}

function toBatchIssues(errors: readonly IngestItemError[]): { path: string; message: string }[] {
  return errors.flatMap((error) => error.issues.map((issue) => ({ path: `events.${error.index}${issue.path ? `.${issue.path}` : ''}`, message: issue.message })));
}

/**
 * Ingests one batch of events for a workspace. Items are validated one by
 * one: by default valid items are stored and invalid ones come back as
 * per-item errors; with `atomic` any invalid item refuses the whole batch.
 * A batch over 5,000 events, or one where no item is valid, is refused
 * (PAYLOAD_TOO_LARGE / BAD_REQUEST) and nothing is stored. What is stored,
 * events and rollups, is written in one transaction, committed before this
 * resolves. Replaying ids stores nothing twice (they count as duplicates).
 */
export async function ingestEvents(deps: Pick<SignalsDeps, 'events'>, workspaceId: string, input: IngestBatchInput): Promise<IngestResult> {
  const batch = IngestBatchInput.safeParse(input);
  if (!batch.success) {
    throw new AppError('BAD_REQUEST', 'Malformed batch: expected {"events": [...]}', {
      issues: batch.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  if (batch.data.events.length > maximumIngestBatchSize) {
    throw new AppError('PAYLOAD_TOO_LARGE', `A batch holds at most ${maximumIngestBatchSize} events; this one has ${batch.data.events.length}`);
  }
  const { valid, errors } = validateBatch(batch.data.events);
  if (errors.length > 0 && (batch.data.atomic || valid.length === 0)) {
    const reason = valid.length === 0 ? 'no event in the batch is valid' : 'the batch is atomic and some events are invalid';
    throw new AppError('BAD_REQUEST', `Batch refused, nothing stored: ${reason} (${errors.length} invalid)`, { issues: toBatchIssues(errors) });
  }
  const unique = new Map<string, ValidSignalEvent>();
  for (const event of valid) if (!unique.has(event.eventId)) unique.set(event.eventId, event);
  const { inserted } = await deps.events.storeEvents(workspaceId, [...unique.values()], computeRollupDeltas);
  return { accepted: inserted, duplicates: valid.length - inserted, rejected: errors.length, errors };
}

/**
 * One metric over [from, to) at a day, week or month interval with its
 * definition (formula and version): loads the facts its formula reads and
 * computes the series with core's `computeMetricSeries`.
 */
export async function readMetricSeries(deps: Pick<SignalsDeps, 'facts'>, workspaceId: string, input: MetricSeriesInput): Promise<MetricSeries> {
  const parsed = MetricSeriesInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', 'Invalid metric request', {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  const { from, to, interval } = parsed.data;
  if ((to.getTime() - from.getTime()) / dayMs > maximumPeriods) {
    throw new AppError('BAD_REQUEST', `A metric range spans at most ${maximumPeriods} days`);
  }
  const periods = enumeratePeriods(from, to, interval);
  const facts = await deps.facts.loadMetricFacts(workspaceId, parsed.data.metric, { from, to, periods });
  return computeMetricSeries(facts, parsed.data);
}

const allowedTransitions: Record<'acknowledged' | 'resolved', readonly IncidentStatusValue[]> = {
  acknowledged: ['open'],
  resolved: ['open', 'acknowledged'],
};

/**
 * Moves an incident along open -> acknowledged -> resolved (open -> resolved
 * is allowed too). Compare-and-swap, so two people acting at once cannot both
 * win; a repeated or backward move is a CONFLICT naming the current status.
 */
export async function changeIncidentStatus(
  deps: Pick<SignalsDeps, 'anomalies' | 'clock' | 'eventBus'>,
  workspaceId: string,
  change: { incidentId: string; to: 'acknowledged' | 'resolved'; actorId: string },
): Promise<StoredIncident> {
  const updated = await deps.anomalies.transitionIncident(workspaceId, change.incidentId, {
    from: allowedTransitions[change.to],
    to: change.to,
    actorId: change.actorId,
    at: deps.clock.now(),
  });
  if (!updated) {
    const current = await deps.anomalies.findIncident(workspaceId, change.incidentId);
    if (!current) throw new AppError('NOT_FOUND', `Incident ${change.incidentId} not found`);
    throw new AppError('CONFLICT', `Incident ${change.incidentId} is ${current.status}; it cannot become ${change.to}`);
  }
  await deps.eventBus.publish(incidentTopic(workspaceId), { type: 'incident-update', incidentId: updated.id, status: updated.status });
  return updated;
}

/** EventBus topic of new anomalies of a workspace. */
export function anomalyTopic(workspaceId: string): string {
  return `anomalies:${workspaceId}`;
}

/** EventBus topic of incident changes of a workspace. */
export function incidentTopic(workspaceId: string): string {
  return `incidents:${workspaceId}`;
}

/**
 * Payload published on `anomalies:<workspaceId>` for every stored anomaly:
 * a small notification (it may cross processes through NOTIFY); subscribers
 * re-read the anomaly from the database.
 */
export interface AnomalyNotification {
  type: 'anomaly-created';
  anomalyId: string;
  metric: string;
  severity: StoredAnomaly['severity'];
}

/** Published on the same topic when detection opens an incident, so remediation policies can match incidents too. */
export interface IncidentNotification {
  type: 'incident-opened';
  incidentId: string;
  metrics: string[];
  severity: StoredAnomaly['severity'];
}

/**
 * Stores one verified Standard Webhooks delivery as an event: its id is the
 * `webhook-id` (so redeliveries are duplicates), its type and properties come
 * from the body, its time from the body's `timestamp` or the signed header.
 */
export async function ingestWebhookEvent(
  deps: Pick<SignalsDeps, 'events'>,
  workspaceId: string,
  delivery: { id: string; timestampSeconds: number; source: string; body: unknown },
): Promise<{ duplicate: boolean }> {
  const parsed = StandardWebhookBody.safeParse(delivery.body);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', 'The webhook body must be a JSON object {type?, timestamp?, data?, actorId?}', {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  const properties = parsed.data.data ?? parsed.data;
  const actor = resolveActorId(parsed.data.actorId, properties);
  const event: ValidSignalEvent = {
    eventId: delivery.id,
    type: parsed.data.type ?? 'webhook',
    source: delivery.source,
    occurredAt: parsed.data.timestamp ? new Date(parsed.data.timestamp) : new Date(delivery.timestampSeconds * 1000),
    properties,
    ...(actor === undefined ? {} : { actorId: actor }),
  };
  const { inserted } = await deps.events.storeEvents(workspaceId, [event], computeRollupDeltas);
  return { duplicate: inserted === 0 };
}
