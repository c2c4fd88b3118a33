/**
 * Metric definitions as versioned configuration. The formula is shown next to
 * every number in the product, so a reader can see which edge-case choices a
 * figure embodies; changing a choice means a new `version`, never a silent edit.
 */

export type MetricUnit = 'cents' | 'count' | 'ratio' | 'cents_per_customer' | 'requests_per_minute' | 'milliseconds';

/**
 * How a period's value is obtained: `stock` is read at the period's end,
 * `sum` adds events inside the period, `ratio` divides sums or stocks of the
 * same period, `distinct` counts distinct actors, `quantile` is a weighted quantile.
 */
export type MetricAggregation = 'stock' | 'sum' | 'ratio' | 'distinct' | 'quantile';

export interface MetricDefinition {
  key: string;
  version: number;
  name: string;
  unit: MetricUnit;
  formula: string;
  description: string;
  /** Which way is good for the business; anomalies against it are the worrying ones. */
  directionOfGood: 'up' | 'down';
  aggregation: MetricAggregation;
  /** Whether a plan segment can be asked for. */
  segmentable: boolean;
  category: 'revenue' | 'customers' | 'growth' | 'operations';
}

const churnEdges =
  'Churn is counted when a customer\'s MRR reaches 0 (the ledger row), not at cancellation request. A customer who signs up and cancels inside one period counts as new and as churn, so the bridge balances.';

const definitionList: MetricDefinition[] = [
  {
    key: 'mrr', version: 1, name: 'MRR', unit: 'cents', aggregation: 'stock', directionOfGood: 'up', segmentable: true, category: 'revenue',
    formula: 'sum of customers\' MRR at period end; end = start + new + expansion + reactivation - contraction - churn',
    description: `Monthly recurring revenue, plans normalised to a month, net of discounts, excluding tax. ${churnEdges} Per plan, a customer's MRR belongs to their current plan and movements to the plan on the ledger row, so the bridge is exact for the total and per plan only without plan switches.`,
  },
  {
    key: 'mrr_new', version: 1, name: 'New MRR', unit: 'cents', aggregation: 'sum', directionOfGood: 'up', segmentable: true, category: 'revenue',
    formula: 'sum of (after - before) over ledger rows 0 -> >0 for customers never paying before',
    description: 'MRR from customers paying for the first time.',
  },
  {
    key: 'mrr_expansion', version: 1, name: 'Expansion MRR', unit: 'cents', aggregation: 'sum', directionOfGood: 'up', segmentable: true, category: 'revenue',
    formula: 'sum of (after - before) over ledger rows with 0 < before < after',
    description: 'MRR added by paying customers (upgrades, seats, add-ons).',
  },
  {
    key: 'mrr_contraction', version: 1, name: 'Contraction MRR', unit: 'cents', aggregation: 'sum', directionOfGood: 'down', segmentable: true, category: 'revenue',
    formula: 'sum of (before - after) over ledger rows with 0 < after < before',
    description: 'MRR lost by customers who keep paying (downgrades). Reported as a positive number.',
  },
  {
    key: 'mrr_churn', version: 1, name: 'Churned MRR', unit: 'cents', aggregation: 'sum', directionOfGood: 'down', segmentable: true, category: 'revenue',
    formula: 'sum of before over ledger rows >0 -> 0',
    description: `MRR lost by customers whose MRR reaches 0. ${churnEdges}`,
  },
  {
    key: 'mrr_reactivation', version: 1, name: 'Reactivation MRR', unit: 'cents', aggregation: 'sum', directionOfGood: 'up', segmentable: true, category: 'revenue',
    formula: 'sum of after over ledger rows 0 -> >0 for customers who paid before',
    description: 'MRR from churned customers who pay again.',
  },
  {
    key: 'arr', version: 1, name: 'ARR', unit: 'cents', aggregation: 'stock', directionOfGood: 'up', segmentable: true, category: 'revenue',
    formula: 'MRR x 12', description: 'Annualised run rate of the MRR at period end.',
  },
  {
    key: 'arpa', version: 1, name: 'ARPA', unit: 'cents_per_customer', aggregation: 'ratio', directionOfGood: 'up', segmentable: true, category: 'revenue',
    formula: 'MRR / paying customers (both at period end)', description: 'Average revenue per paying account; undefined with no paying customer.',
  },
  {
    key: 'paying_customers', version: 1, name: 'Paying customers', unit: 'count', aggregation: 'stock', directionOfGood: 'up', segmentable: true, category: 'customers',
    formula: 'customers with MRR > 0 at period end', description: 'Trialing and churned customers are not paying.',
  },
  {
    key: 'customer_churn_rate', version: 1, name: 'Customer churn rate', unit: 'ratio', aggregation: 'ratio', directionOfGood: 'down', segmentable: false, category: 'customers',
    formula: 'customers lost in period / paying customers at period start',
    description: 'A customer is lost when they were paying at period start and their MRR reached 0 during the period (counted once, even if they came back). Same-period sign-up and cancel is not in the start cohort, so it does not count here. Undefined with no customer at start.',
  },
  {
    key: 'mrr_churn_rate', version: 1, name: 'MRR churn rate', unit: 'ratio', aggregation: 'ratio', directionOfGood: 'down', segmentable: false, category: 'revenue',
    formula: '(churn + contraction) / MRR at period start', description: `Gross revenue churn of the period. ${churnEdges}`,
  },
  {
    key: 'nrr', version: 1, name: 'Net revenue retention', unit: 'ratio', aggregation: 'ratio', directionOfGood: 'up', segmentable: false, category: 'revenue',
    formula: '(start + expansion + reactivation - contraction - churn) / start', description: 'Revenue kept and grown from existing customers over the period, new business excluded.',
  },
  {
    key: 'grr', version: 1, name: 'Gross revenue retention', unit: 'ratio', aggregation: 'ratio', directionOfGood: 'up', segmentable: false, category: 'revenue',
    formula: '(start - contraction - churn) / start', description: 'Like NRR without expansion and reactivation; at most 1.',
  },
  {
    key: 'quick_ratio', version: 1, name: 'SaaS quick ratio', unit: 'ratio', aggregation: 'ratio', directionOfGood: 'up', segmentable: false, category: 'growth',
    formula: '(new + expansion) / (contraction + churn)', description: 'Growth efficiency; undefined when nothing was lost in the period. Reactivation is left out, as in the spec.',
  },
  {
    key: 'ltv', version: 1, name: 'Customer lifetime value', unit: 'cents', aggregation: 'ratio', directionOfGood: 'up', segmentable: false, category: 'revenue',
    formula: 'ARPA (period end) / monthly customer churn rate',
    description: 'For day and week intervals the period churn rate r is converted to a monthly rate 1 - (1 - r)^(30.4375 / days). Undefined when nobody churned.',
  },
  {
    key: 'trial_conversion', version: 1, name: 'Trial conversion', unit: 'ratio', aggregation: 'ratio', directionOfGood: 'up', segmentable: true, category: 'growth',
    formula: 'trials ending in period that converted / trials ending in period',
    description: 'Trials and conversions are counted in the same window: the cohort is the trials whose trial end falls in the period; a trial converts unless it was canceled on or before its trial end or is still trialing.',
  },
  {
    key: 'signups', version: 1, name: 'Sign-ups', unit: 'count', aggregation: 'sum', directionOfGood: 'up', segmentable: false, category: 'growth',
    formula: 'customers created in period', description: 'New accounts, paying or not.',
  },
  {
    key: 'active_users', version: 2, name: 'Active users', unit: 'count', aggregation: 'distinct', directionOfGood: 'up', segmentable: false, category: 'growth',
    formula: 'distinct actors with an ingested event in period (actorId, else properties.userId; UTC days); at least the busiest day of a daily active-users rollup',
    description:
      'Daily, weekly or monthly active users depending on the interval: each actor counts once per period however many days or events it has, so a week is not the sum of its days. ' +
      'Events without an actor count nobody. A pre-aggregated daily rollup (no identities) is only a floor: a week or month reads at least its busiest day.',
  },
  {
    key: 'failed_payments', version: 1, name: 'Failed payments', unit: 'count', aggregation: 'sum', directionOfGood: 'down', segmentable: false, category: 'revenue',
    formula: 'failed invoice payment attempts in period',
    description: 'Each failed attempt counts (dunning retries included); an invoice without attempt times counts its last failure once.',
  },
  {
    key: 'request_rate', version: 1, name: 'Request rate', unit: 'requests_per_minute', aggregation: 'ratio', directionOfGood: 'up', segmentable: false, category: 'operations',
    formula: 'sum(requests points) / minutes in period', description: 'Average throughput over the whole period.',
  },
  {
    key: 'error_rate', version: 1, name: 'Error rate', unit: 'ratio', aggregation: 'ratio', directionOfGood: 'down', segmentable: false, category: 'operations',
    formula: 'sum(errors points) / sum(requests points)', description: 'Share of failed requests; undefined without requests.',
  },
  {
    key: 'latency_p50', version: 1, name: 'Latency p50', unit: 'milliseconds', aggregation: 'quantile', directionOfGood: 'down', segmentable: false, category: 'operations',
    formula: 'count-weighted 50th percentile of latency_ms points', description: 'Exact for raw samples; an approximation when points are pre-aggregated.',
  },
  {
    key: 'latency_p95', version: 1, name: 'Latency p95', unit: 'milliseconds', aggregation: 'quantile', directionOfGood: 'down', segmentable: false, category: 'operations',
    formula: 'count-weighted 95th percentile of latency_ms points', description: 'Exact for raw samples; an approximation when points are pre-aggregated.',
  },
  {
    key: 'request_count', version: 1, name: 'API requests', unit: 'count', aggregation: 'sum', directionOfGood: 'up', segmentable: false, category: 'operations',
    formula: 'sum(requests points) in period', description: 'Requests served; the detection job watches it per 5 minutes, where a drop means traffic is not arriving.',
  },
  {
    key: 'error_count', version: 1, name: 'API errors', unit: 'count', aggregation: 'sum', directionOfGood: 'down', segmentable: false, category: 'operations',
    formula: 'sum(errors points) in period', description: 'Failed requests; the detection job watches it per 5 minutes. The share of failed requests is `error_rate`.',
  },
  {
    key: 'churned_customers', version: 1, name: 'Churned customers', unit: 'count', aggregation: 'sum', directionOfGood: 'down', segmentable: true, category: 'customers',
    formula: 'ledger rows >0 -> 0 in period, per plan on the row',
    description: `Customers whose MRR reached 0 in the period (a customer churning twice counts twice; one who signs up and cancels inside the period counts). ${churnEdges} The detection job watches it per plan as trailing 7-day sums.`,
  },
  {
    key: 'ticket_volume', version: 1, name: 'Ticket volume', unit: 'count', aggregation: 'sum', directionOfGood: 'down', segmentable: false, category: 'operations',
    formula: 'support tickets created in period', description: 'All priorities.',
  },
];

/** Every metric OpsPilot computes, keyed by metric key. */
export const metricDefinitions: Readonly<Record<string, MetricDefinition>> = Object.fromEntries(
  definitionList.map((definition) => [definition.key, definition]),
);

/** All metric keys, in display order. */
export const metricKeys: readonly string[] = definitionList.map((definition) => definition.key);
