import { classifyMrrChange } from './mrr-movements';
import type { MetricPointFact, MrrChangeFact } from './metric-types';
import { startOfBucket } from './time-buckets';

/** A stored daily rollup (MetricPoint with interval "1d"): value is the sum, count the number of events. */
export interface RollupBucket {
  metric: string;
  /** Plan key, or "" for the total. */
  segment: string;
  /** UTC midnight of the day. */
  ts: Date;
  value: number;
  count: number;
}

/** Facts that arrive after the rollups were built. */
export type RollupEvent =
  | { kind: 'mrr-change'; change: MrrChangeFact }
  | { kind: 'ticket'; createdAt: Date }
  | { kind: 'failed-payment'; occurredAt: Date }
  | { kind: 'signup'; createdAt: Date }
  | { kind: 'point'; point: MetricPointFact };

/** What classification needs beyond the buckets: who has ever paid (new vs reactivation). */
export interface RollupState {
  customersWithRevenue: string[];
}

/** Metrics kept as additive daily rollups; stocks such as MRR are running sums of their movements. */
export const additivePointMetrics: ReadonlySet<string> = new Set(['requests', 'errors']);

function keyOf(metric: string, segment: string, ts: Date): string {
  return `${metric}\u0000${segment}\u0000${ts.toISOString()}`;
}

type AddFunction = (metric: string, segment: string, at: Date, value: number) => void;

function addMrrChange(add: AddFunction, change: MrrChangeFact, withRevenue: Set<string>): void {
  const movement = classifyMrrChange(change, withRevenue.has(change.customerId));
  if (change.mrrAfter > 0 || change.mrrBefore > 0) withRevenue.add(change.customerId);
  if (!movement) return;
  add(`mrr_${movement.kind}`, '', change.occurredAt, movement.amount);
  if (change.planKey) add(`mrr_${movement.kind}`, change.planKey, change.occurredAt, movement.amount);
}

/**
 * Folds new events into existing daily rollups without touching history:
 * each event adds to exactly one day's bucket (per segment). Pure: returns new
 * buckets and state. MRR changes of one customer must arrive in time order
 * (the ledger is append-only), because new vs reactivation depends on the past.
 * Quantile metrics (latency) are not additive and are not rolled up here.
 */
export function applyEventsToDailyRollups(
  buckets: readonly RollupBucket[],
  events: readonly RollupEvent[],
  state: RollupState,
): { buckets: RollupBucket[]; state: RollupState } {
  const byKey = new Map<string, RollupBucket>(buckets.map((bucket) => [keyOf(bucket.metric, bucket.segment, bucket.ts), { ...bucket }]));
  const withRevenue = new Set(state.customersWithRevenue);
  const add: AddFunction = (metric, segment, at, value) => {
    const ts = startOfBucket(at, 'day');
    const key = keyOf(metric, segment, ts);
    const bucket = byKey.get(key) ?? { metric, segment, ts, value: 0, count: 0 };
    bucket.value += value;
    bucket.count += 1;
    byKey.set(key, bucket);
  };
  const ordered = [...events].sort((a, b) => eventTime(a) - eventTime(b));
  for (const event of ordered) {
    switch (event.kind) {
      case 'mrr-change':
        addMrrChange(add, event.change, withRevenue);
        break;
      case 'ticket':
        add('ticket_volume', '', event.createdAt, 1);
        break;
      case 'failed-payment':
        add('failed_payments', '', event.occurredAt, 1);
        break;
      case 'signup':
        add('signups', '', event.createdAt, 1);
        break;
      case 'point':
        if (additivePointMetrics.has(event.point.metric)) add(event.point.metric, event.point.segment ?? '', event.point.ts, event.point.value);
        break;
    }
  }
  const sorted = [...byKey.values()].sort(
    (a, b) => a.ts.getTime() - b.ts.getTime() || a.metric.localeCompare(b.metric) || a.segment.localeCompare(b.segment),
  );
  return { buckets: sorted, state: { customersWithRevenue: [...withRevenue].sort() } };
}

function eventTime(event: RollupEvent): number {
  switch (event.kind) {
    case 'mrr-change':
      return event.change.occurredAt.getTime();
    case 'ticket':
    case 'signup':
      return event.createdAt.getTime();
    case 'failed-payment':
      return event.occurredAt.getTime();
    case 'point':
      return event.point.ts.getTime();
  }
}
