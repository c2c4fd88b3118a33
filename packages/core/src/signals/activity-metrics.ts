import type { MetricFacts, MetricPointFact, SubscriptionFact } from './metric-types';
import type { Period } from './time-buckets';

/**
 * Index of the period containing `time`, or -1. Periods are contiguous and in
 * order, so a binary search over their starts finds it in O(log periods).
 */
function findPeriodIndex(periods: readonly Period[], time: number): number {
  const first = periods[0];
  const last = periods[periods.length - 1];
  if (!first || !last || time < first.start.getTime() || time >= last.end.getTime()) return -1;
  let low = 0;
  let high = periods.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (periods[middle]!.start.getTime() <= time) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Groups items by the period their time falls in; one pass, items outside the range dropped. */
function groupByPeriod<T>(periods: readonly Period[], items: readonly T[], timeOf: (item: T) => Date | null | undefined): T[][] {
  const groups = periods.map((): T[] => []);
  for (const item of items) {
    const time = timeOf(item);
    if (!time) continue;
    const index = findPeriodIndex(periods, time.getTime());
    if (index >= 0) groups[index]!.push(item);
  }
  return groups;
}

function hasConverted(subscription: SubscriptionFact): boolean {
  if (subscription.status === 'trialing') return false;
  if (!subscription.canceledAt || !subscription.trialEnd) return true;
  return subscription.canceledAt.getTime() > subscription.trialEnd.getTime();
}

function countFailedAttempts(facts: MetricFacts, periods: readonly Period[]): number[] {
  const attempts = (facts.invoices ?? []).flatMap((invoice) => invoice.failedAttemptsAt ?? (invoice.lastFailedAt ? [invoice.lastFailedAt] : []));
  return groupByPeriod(periods, attempts, (attempt) => attempt).map((group) => group.length);
}

function sumPoints(points: readonly MetricPointFact[]): number {
  return points.reduce((total, point) => total + point.value, 0);
}

/** Count-weighted quantile: the smallest value whose cumulative weight reaches q of the total. */
export function computeWeightedQuantile(points: readonly { value: number; count?: number }[], quantile: number): number | null {
  const sorted = [...points].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, point) => sum + (point.count ?? 1), 0);
  if (total <= 0) return null;
  let cumulative = 0;
  for (const point of sorted) {
    cumulative += point.count ?? 1;
    if (cumulative >= quantile * total) return point.value;
  }
  return sorted[sorted.length - 1]?.value ?? null;
}

function pointsByPeriod(facts: MetricFacts, metric: string, periods: readonly Period[]): MetricPointFact[][] {
  return groupByPeriod(periods, (facts.points ?? []).filter((point) => point.metric === metric), (point) => point.ts);
}

function computeOperationsSeries(key: string, facts: MetricFacts, periods: readonly Period[]): (number | null)[] | null {
  switch (key) {
    case 'request_rate':
      return pointsByPeriod(facts, 'requests', periods).map(
        (group, index) => sumPoints(group) / ((periods[index]!.end.getTime() - periods[index]!.start.getTime()) / 60_000),
      );
    case 'request_count':
      return pointsByPeriod(facts, 'requests', periods).map(sumPoints);
    case 'error_count':
      return pointsByPeriod(facts, 'errors', periods).map(sumPoints);
    case 'error_rate': {
      const errors = pointsByPeriod(facts, 'errors', periods);
      return pointsByPeriod(facts, 'requests', periods).map((group, index) => {
        const requests = sumPoints(group);
        return requests === 0 ? null : sumPoints(errors[index]!) / requests;
      });
    }
    case 'latency_p50':
      return pointsByPeriod(facts, 'latency_ms', periods).map((group) => computeWeightedQuantile(group, 0.5));
    case 'latency_p95':
      return pointsByPeriod(facts, 'latency_ms', periods).map((group) => computeWeightedQuantile(group, 0.95));
    case 'ticket_volume':
      return groupByPeriod(periods, facts.tickets ?? [], (ticket) => ticket.createdAt).map((group) => group.length);
    default:
      return null;
  }
}

/**
 * Distinct actors per period where identities are known (actors of raw
 * activity, or the store's exact per-period counts); a daily rollup without
 * identities only gives its peak day, used as a floor. Sources are not added:
 * the same person may be in more than one, so the larger is the safe answer.
 */
function computeActiveUsers(facts: MetricFacts, periods: readonly Period[]): number[] {
  const distinct = groupByPeriod(periods, facts.activity ?? [], (event) => event.occurredAt).map((group) => new Set(group.map((event) => event.actorId)).size);
  const exact = groupByPeriod(periods, facts.periodActive ?? [], (period) => period.start).map((group) => group.reduce((most, period) => Math.max(most, period.count), 0));
  const peaks = groupByPeriod(periods, facts.dailyActive ?? [], (day) => day.day).map((group) => group.reduce((peak, day) => Math.max(peak, day.count), 0));
  return distinct.map((count, index) => Math.max(count, exact[index] ?? 0, peaks[index] ?? 0));
}

/**
 * Values of a non-ledger metric for every period, in one pass over each fact
 * list; null where undefined (no trials ended, no requests, no samples).
 */
export function computeActivitySeries(key: string, facts: MetricFacts, periods: readonly Period[], segment?: string): (number | null)[] {
  switch (key) {
    case 'trial_conversion': {
      const trials = (facts.subscriptions ?? []).filter((subscription) => segment === undefined || subscription.planKey === segment);
      return groupByPeriod(periods, trials, (subscription) => subscription.trialEnd).map((cohort) =>
        cohort.length === 0 ? null : cohort.filter(hasConverted).length / cohort.length,
      );
    }
    case 'signups':
      return groupByPeriod(periods, facts.customers ?? [], (customer) => customer.createdAt).map((group) => group.length);
    case 'active_users':
      return computeActiveUsers(facts, periods);
    case 'failed_payments':
      return countFailedAttempts(facts, periods);
    default:
      return computeOperationsSeries(key, facts, periods) ?? periods.map(() => null);
  }
}
