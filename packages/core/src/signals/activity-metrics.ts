import type { MetricFacts, MetricPointFact, SubscriptionFact } from './metric-types';
import type { Period } from './time-buckets';

function isInside(date: Date | null | undefined, period: Period): boolean {
  if (!date) return false;
  const time = date.getTime();
  return time >= period.start.getTime() && time < period.end.getTime();
}

function hasConverted(subscription: SubscriptionFact): boolean {
  if (subscription.status === 'trialing') return false;
  if (!subscription.canceledAt || !subscription.trialEnd) return true;
  return subscription.canceledAt.getTime() > subscription.trialEnd.getTime();
}

function computeTrialConversion(facts: MetricFacts, period: Period, segment?: string): number | null {
  const cohort = (facts.subscriptions ?? []).filter(
    (subscription) => isInside(subscription.trialEnd, period) && (segment === undefined || subscription.planKey === segment),
  );
  if (cohort.length === 0) return null;
  return cohort.filter(hasConverted).length / cohort.length;
}

function countFailedAttempts(facts: MetricFacts, period: Period): number {
  let count = 0;
  for (const invoice of facts.invoices ?? []) {
    const attempts = invoice.failedAttemptsAt ?? (invoice.lastFailedAt ? [invoice.lastFailedAt] : []);
    count += attempts.filter((attempt) => isInside(attempt, period)).length;
  }
  return count;
}

function pointsOf(facts: MetricFacts, metric: string, period: Period): MetricPointFact[] {
  return (facts.points ?? []).filter((point) => point.metric === metric && isInside(point.ts, period));
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

/** Value of a non-ledger metric for one period; null when undefined (no trials, no requests, no samples). */
export function computeActivityMetricValue(key: string, facts: MetricFacts, period: Period, segment?: string): number | null {
  switch (key) {
    case 'trial_conversion':
      return computeTrialConversion(facts, period, segment);
    case 'signups':
      return (facts.customers ?? []).filter((customer) => isInside(customer.createdAt, period)).length;
    case 'active_users':
      return new Set((facts.activity ?? []).filter((event) => isInside(event.occurredAt, period)).map((event) => event.actorId)).size;
    case 'failed_payments':
      return countFailedAttempts(facts, period);
    case 'ticket_volume':
      return (facts.tickets ?? []).filter((ticket) => isInside(ticket.createdAt, period)).length;
    case 'request_rate':
      return sumPoints(pointsOf(facts, 'requests', period)) / ((period.end.getTime() - period.start.getTime()) / 60_000);
    case 'error_rate': {
      const requests = sumPoints(pointsOf(facts, 'requests', period));
      return requests === 0 ? null : sumPoints(pointsOf(facts, 'errors', period)) / requests;
    }
    case 'latency_p50':
      return computeWeightedQuantile(pointsOf(facts, 'latency_ms', period), 0.5);
    case 'latency_p95':
      return computeWeightedQuantile(pointsOf(facts, 'latency_ms', period), 0.95);
    default:
      return null;
  }
}
