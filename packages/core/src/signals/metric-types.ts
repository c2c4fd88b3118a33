import { z } from 'zod';

/** One row of the per-customer MRR ledger (cents, normalised to a month, net of discounts, excluding tax). */
export interface MrrChangeFact {
  customerId: string;
  occurredAt: Date;
  mrrBefore: number;
  mrrAfter: number;
  planKey?: string | null;
}

export type SubscriptionStatusFact = 'trialing' | 'active' | 'past_due' | 'canceled';

/** The subscription fields the trial metrics need. */
export interface SubscriptionFact {
  customerId: string;
  planKey: string;
  status: SubscriptionStatusFact;
  startedAt: Date;
  trialStart?: Date | null;
  trialEnd?: Date | null;
  canceledAt?: Date | null;
}

export interface InvoiceFact {
  customerId: string;
  status: 'draft' | 'open' | 'paid' | 'failed' | 'void' | 'uncollectible';
  amount: number;
  attemptCount: number;
  createdAt: Date;
  /** Time of each failed payment attempt; when absent, `lastFailedAt` stands for one attempt. */
  failedAttemptsAt?: Date[];
  lastFailedAt?: Date | null;
}

export interface TicketFact {
  createdAt: Date;
  priority?: string;
}

export interface CustomerFact {
  customerId: string;
  createdAt: Date;
}

/** Something a user did in the product; distinct actors per period are the active users. */
export interface ActivityFact {
  actorId: string;
  occurredAt: Date;
}

/**
 * Exact distinct actors of one period (`start` = the period's start), counted
 * by the store over its per-day actor rows, so identities never leave it.
 */
export interface PeriodActiveFact {
  start: Date;
  count: number;
}

/** One day's active-user count from a pre-aggregated rollup, which carries no identities. */
export interface DailyActiveFact {
  day: Date;
  count: number;
}

/**
 * A stored metric point, e.g. `requests` (count in the bucket), `errors` (count),
 * `latency_ms` (an observed latency, weighted by `count`).
 */
export interface MetricPointFact {
  metric: string;
  ts: Date;
  value: number;
  count?: number;
  segment?: string;
}

/** Everything the metric functions read. Every list is optional except the ledger. */
export interface MetricFacts {
  mrrChanges: MrrChangeFact[];
  subscriptions?: SubscriptionFact[];
  invoices?: InvoiceFact[];
  tickets?: TicketFact[];
  customers?: CustomerFact[];
  activity?: ActivityFact[];
  /** Distinct actors per period from ingested events that name an actor (exact). */
  periodActive?: PeriodActiveFact[];
  /** Daily active-user counts without identities: a week or month reads as its peak day. */
  dailyActive?: DailyActiveFact[];
  points?: MetricPointFact[];
}

export const metricIntervals = ['day', 'week', 'month'] as const;
export type MetricInterval = (typeof metricIntervals)[number];

export const MetricSeriesInput = z
  .object({
    metric: z.string().min(1),
    from: z.coerce.date(),
    to: z.coerce.date(),
    interval: z.enum(metricIntervals),
    /** Plan key; only for metrics whose definition says `segmentable`. */
    segment: z.string().min(1).optional(),
  })
  .refine((value) => value.from.getTime() < value.to.getTime(), { message: '`from` must be before `to`', path: ['to'] });
export type MetricSeriesInput = z.infer<typeof MetricSeriesInput>;

/** MRR bridge for one period: end = start + new + expansion + reactivation - contraction - churn. */
export interface MrrMovements {
  start: number;
  new: number;
  expansion: number;
  contraction: number;
  churn: number;
  reactivation: number;
  end: number;
}

export interface MetricSeriesPoint {
  /** Inclusive start of the period (UTC). */
  start: Date;
  /** Exclusive end of the period (UTC); the first and last periods are clipped to [from, to). */
  end: Date;
  /** `null` when the formula is undefined for the period (e.g. a rate over zero customers). */
  value: number | null;
  movements?: MrrMovements;
}
