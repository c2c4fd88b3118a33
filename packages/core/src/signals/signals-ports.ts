import type { Clock, EventBus, Logger } from '../ports';
import type { ValidSignalEvent } from './ingest-schemas';
import type { MetricFacts } from './metric-types';

/** An amount to add to one stored daily rollup (MetricPoint interval "1d"). */
export interface RollupDelta {
  metric: string;
  segment: string;
  /** UTC midnight. */
  ts: Date;
  value: number;
  count: number;
}

/** Raw events: stored once per (workspace, id), with their rollups, atomically. */
export interface SignalEventStore {
  /**
   * In ONE transaction: inserts the events that are new (duplicates of a
   * stored id are skipped), then adds `rollupsFor(newEvents)` to the daily
   * rollups and marks the actor of each new event that names one (`actorId`)
   * active on the event's UTC day, keeping only a hash of the actor id.
   * Returns how many were new. Committed when it resolves.
   */
  storeEvents(
    workspaceId: string,
    events: readonly ValidSignalEvent[],
    rollupsFor: (inserted: readonly ValidSignalEvent[]) => RollupDelta[],
  ): Promise<{ inserted: number }>;
}

export type SubscriptionStatusValue = 'trialing' | 'active' | 'past_due' | 'canceled';
export type InvoiceStatusValue = 'draft' | 'open' | 'paid' | 'failed' | 'void' | 'uncollectible';

export interface BillingCustomer {
  externalId: string;
  name: string;
  email: string | null;
  country: string | null;
  createdAt: Date;
}

export interface BillingSubscription {
  externalId: string;
  customerId: string;
  planKey: string;
  interval: 'month' | 'year';
  status: SubscriptionStatusValue;
  /** Cents per billing interval, net of discounts, excluding tax. */
  amount: number;
  trialStart: Date | null;
  trialEnd: Date | null;
  startedAt: Date;
  canceledAt: Date | null;
  endedAt: Date | null;
  /** When the sender produced this state; an older state never overwrites a newer one. */
  observedAt: Date;
}

export interface BillingInvoice {
  externalId: string;
  customerId: string;
  amount: number;
  currency: string;
  status: InvoiceStatusValue;
  attemptCount: number;
  dueAt: Date;
  paidAt: Date | null;
  lastFailedAt: Date | null;
  createdAt: Date;
}

/** Writes of one billing event, all inside the transaction that claimed the event id. */
export interface BillingWriter {
  /** Creates or updates the customer; returns its internal id. */
  upsertCustomer(customer: BillingCustomer): Promise<string>;
  /** Internal id of a customer by external id, creating a placeholder when unknown (events arrive out of order). */
  resolveCustomer(externalId: string, seenAt: Date): Promise<string>;
  /** Returns false when a newer state of the subscription is already stored. */
  upsertSubscription(subscription: BillingSubscription): Promise<boolean>;
  /** The customer's live subscriptions (after this event's writes). */
  listSubscriptions(customerId: string): Promise<Pick<BillingSubscription, 'planKey' | 'interval' | 'status' | 'amount'>[]>;
  /** The customer's MRR after the latest ledger row, 0 without one. */
  readCustomerMrr(customerId: string): Promise<number>;
  appendMrrChange(change: { customerId: string; occurredAt: Date; mrrBefore: number; mrrAfter: number; planKey: string | null; sourceEvent: string }): Promise<void>;
  upsertInvoice(invoice: BillingInvoice): Promise<void>;
  addRollups(deltas: readonly RollupDelta[]): Promise<void>;
}

export interface BillingStore {
  /**
   * Claims `event.eventId` in the event table and runs `work` in the same
   * transaction. Returns false (and runs nothing) when the id was processed
   * before: senders retry, out of order and with duplicates.
   */
  applyBillingEvent(workspaceId: string, event: ValidSignalEvent, work: (writer: BillingWriter) => Promise<void>): Promise<boolean>;
}

/** Per-period pre-aggregates of stored points, so a year of 5-minute telemetry is not shipped to Node. */
export interface PeriodAggregate {
  start: Date;
  end: Date;
  value: number;
  count: number;
}

export interface MetricFactsStore {
  /** The facts a metric's formula reads over [from, to) (the MRR ledger from the beginning). */
  loadMetricFacts(workspaceId: string, metric: string, range: { from: Date; to: Date; periods: readonly { start: Date; end: Date }[] }): Promise<MetricFacts>;
}

/** One series the detection job scans. */
export interface SeriesPoint {
  ts: Date;
  value: number;
}

export interface DetectionSeriesStore {
  /** Brings derived daily rollups (of 5-minute telemetry) up to date for the complete days before `until`. */
  refreshRollups(workspaceId: string, until: Date): Promise<void>;
  /** Stored points of a metric at an interval ("5m", "1d"), in time order. */
  loadMetricPoints(workspaceId: string, query: { metric: string; interval: string; segment: string; from: Date; to: Date }): Promise<SeriesPoint[]>;
  /** Daily counts of a billing fact per segment ("" = total): failed payment attempts, churned customers per plan, tickets. */
  loadDailyCounts(workspaceId: string, query: { kind: DailyCountKind; from: Date; to: Date }): Promise<(SeriesPoint & { segment: string })[]>;
}

export type DailyCountKind = 'failed_payments' | 'churned_customers' | 'ticket_volume';

export type SeverityValue = 'info' | 'warning' | 'critical';
export type IncidentStatusValue = 'open' | 'acknowledged' | 'resolved';

export interface StoredAnomaly {
  id: string;
  metric: string;
  segment: string;
  detector: string;
  windowStart: Date;
  windowEnd: Date;
  expected: number;
  lower: number;
  upper: number;
  actual: number;
  score: number;
  direction: 'up' | 'down';
  severity: SeverityValue;
  incidentId: string | null;
  createdAt: Date;
  /**
   * The point where the detector accepted the episode's level as the new
   * normal: the anomaly ends there (null while it is still judged anomalous).
   * Optional so callers that build anomalies by hand need not name it.
   */
  levelShiftAcceptedAt?: Date | null;
}

export type NewAnomaly = Omit<StoredAnomaly, 'id' | 'incidentId' | 'createdAt'>;

/** A stored anomaly a later pass extended, as stored after the update. */
export interface ExtendedAnomaly extends StoredAnomaly {
  /**
   * The row as the upsert's snapshot saw it; null when a concurrent pass
   * stored it after that snapshot (that pass groups it into an incident).
   */
  before: Pick<StoredAnomaly, 'windowEnd' | 'severity' | 'score' | 'actual' | 'expected' | 'direction'> | null;
}

/** What an upsert of detected anomalies changed: rows stored for the first time, and stored rows a later pass extended. */
export interface UpsertedAnomalies {
  created: StoredAnomaly[];
  /** Rows whose end moved later, severity or peak rose, or level shift was accepted. */
  extended: ExtendedAnomaly[];
}

export interface StoredIncident {
  id: string;
  title: string;
  summary: string;
  status: IncidentStatusValue;
  severity: SeverityValue;
  metrics: string[];
  startedAt: Date;
  lastSeenAt: Date;
  endedAt: Date | null;
  acknowledgedById: string | null;
  acknowledgedAt: Date | null;
  resolvedById: string | null;
  resolvedAt: Date | null;
  createdAt: Date;
}

export interface ListPage {
  limit: number;
  cursor?: string | undefined;
}

export interface AnomalyStore {
  /** `upsertAnomalies`, answering only the rows stored for the first time. */
  insertAnomalies(workspaceId: string, anomalies: readonly NewAnomaly[]): Promise<StoredAnomaly[]>;
  /**
   * In one statement, safe when two detection passes race: inserts anomalies
   * not stored yet (key: metric, segment and window start) and extends stored
   * ones: the later end, the larger severity and score (with the forecast,
   * band and actual of the stronger peak), the first level-shift acceptance.
   * Never shortens an anomaly or lowers its severity; a row the batch does not
   * change is in neither list.
   */
  upsertAnomalies(workspaceId: string, anomalies: readonly NewAnomaly[]): Promise<UpsertedAnomalies>;
  /** Incidents not resolved, or resolved but still inside their hold, newest first. */
  listActiveIncidents(workspaceId: string): Promise<StoredIncident[]>;
  createIncident(workspaceId: string, incident: Omit<StoredIncident, 'id' | 'createdAt' | 'acknowledgedById' | 'acknowledgedAt' | 'resolvedById' | 'resolvedAt' | 'status'>): Promise<StoredIncident>;
  updateIncident(workspaceId: string, id: string, patch: Partial<Pick<StoredIncident, 'title' | 'summary' | 'severity' | 'metrics' | 'lastSeenAt' | 'endedAt'>>): Promise<void>;
  attachAnomalies(workspaceId: string, incidentId: string, anomalyIds: readonly string[]): Promise<void>;
  listAnomalies(workspaceId: string, query: ListPage & { from?: Date | undefined; to?: Date | undefined; metric?: string | undefined }): Promise<StoredAnomaly[]>;
  listIncidents(workspaceId: string, query: ListPage & { status?: IncidentStatusValue | undefined }): Promise<StoredIncident[]>;
  findIncident(workspaceId: string, id: string): Promise<(StoredIncident & { anomalies: StoredAnomaly[] }) | null>;
  /**
   * Compare-and-swap: moves the incident to `to` only when its status is one
   * of `from`; returns the updated incident, or null when it did not match.
   */
  transitionIncident(
    workspaceId: string,
    id: string,
    change: { from: readonly IncidentStatusValue[]; to: IncidentStatusValue; actorId: string; at: Date },
  ): Promise<StoredIncident | null>;
  /**
   * Anomalies stored after the one with id `afterId` (by creation, oldest
   * first), for resuming a subscription; without `afterId` the latest `limit`.
   */
  listAnomaliesAfter(workspaceId: string, afterId: string | null, limit: number): Promise<StoredAnomaly[]>;
}

/** Everything the signals service needs, passed in by the composition root. */
export interface SignalsDeps {
  events: SignalEventStore;
  billing: BillingStore;
  facts: MetricFactsStore;
  series: DetectionSeriesStore;
  anomalies: AnomalyStore;
  eventBus: EventBus;
  clock: Clock;
  logger: Logger;
}
