import { computeMetricSeries, metricDefinitions, summariseMetric, type MetricDefinition, type MetricFacts, type MetricSummary } from '../signals';
import { describeRange, type NamedPeriod } from './periods';
import type { BusinessDataPort, FactKind } from './ports';

/** One number an answer states, with what it was computed from. */
export interface Figure {
  metric: string;
  from: string;
  to: string;
  segment: string | null;
  value: number | null;
}

/** What the reasoner says: text for the person and the exact figures behind it. */
export interface Answer {
  text: string;
  figures: Figure[];
}

/** Which fact lists a metric needs beyond the MRR ledger, and which stored point series. */
export function factNeedsOf(metric: string): { include: FactKind[]; pointMetrics: string[] } {
  switch (metric) {
    case 'signups':
      return { include: ['customers'], pointMetrics: [] };
    case 'trial_conversion':
      return { include: ['subscriptions'], pointMetrics: [] };
    case 'failed_payments':
      return { include: ['invoices'], pointMetrics: [] };
    case 'ticket_volume':
      return { include: ['tickets'], pointMetrics: [] };
    case 'request_rate':
    case 'error_rate':
      return { include: ['points'], pointMetrics: ['requests', 'errors'] };
    case 'latency_p50':
      return { include: ['points'], pointMetrics: ['latency_ms@p50'] };
    case 'latency_p95':
      return { include: ['points'], pointMetrics: ['latency_ms@p95'] };
    default:
      return { include: [], pointMetrics: [] };
  }
}

/** Metrics the reasoner answers; active users need activity facts the database does not keep per actor. */
export function isAnswerableMetric(metric: string): boolean {
  return metric in metricDefinitions && metric !== 'active_users';
}

/** Loads the facts once for a set of metrics over the union of the periods. */
export async function loadFactsFor(
  data: BusinessDataPort,
  workspaceId: string,
  metrics: string[],
  periods: { from: Date; to: Date }[],
): Promise<MetricFacts> {
  const from = new Date(Math.min(...periods.map((period) => period.from.getTime())));
  const to = new Date(Math.max(...periods.map((period) => period.to.getTime())));
  const needs = metrics.map(factNeedsOf);
  return data.loadMetricFacts(workspaceId, {
    from,
    to,
    include: [...new Set(needs.flatMap((need) => need.include))],
    pointMetrics: [...new Set(needs.flatMap((need) => need.pointMetrics))],
  });
}

export function summarise(facts: MetricFacts, metric: string, period: { from: Date; to: Date }, segment: string | null): MetricSummary {
  return summariseMetric(facts, { metric, from: period.from, to: period.to, ...(segment ? { segment } : {}) });
}

export function seriesOf(facts: MetricFacts, metric: string, period: { from: Date; to: Date }, segment: string | null) {
  const days = (period.to.getTime() - period.from.getTime()) / 86_400_000;
  const interval = days > 120 ? 'month' : days > 21 ? 'week' : 'day';
  return computeMetricSeries(facts, { metric, from: period.from, to: period.to, interval, ...(segment ? { segment } : {}) });
}

export function toFigure(metric: string, period: { from: Date; to: Date }, segment: string | null, value: number | null): Figure {
  return { metric, from: period.from.toISOString(), to: period.to.toISOString(), segment, value };
}

/** A stock is read at the period's end; everything else is computed over the period. */
export function isStock(definition: MetricDefinition): boolean {
  return definition.aggregation === 'stock' || definition.key === 'arpa';
}

/** "at the end of last month (2026-10-01 to 2026-10-31)" or "in the last 30 days (...)". */
export function describePeriod(definition: MetricDefinition, period: NamedPeriod): string {
  const range = describeRange(period);
  if (isStock(definition)) {
    const at = period.to.toISOString().slice(0, 16).replace('T', ' ');
    return period.phrase === 'now' ? `as of ${at} UTC` : `at the end of ${period.phrase} (${range}; read at ${at} UTC)`;
  }
  return `${/^(in|during|over|for) /i.test(period.phrase) ? '' : 'in '}${period.phrase} (${range})`;
}

/** The line that names the definition, so a reader sees which choices a number embodies. */
export function describeDefinition(definition: MetricDefinition): string {
  const source = definition.key.startsWith('latency_')
    ? ` Source: the stored 5-minute ${definition.key === 'latency_p50' ? 'p50' : 'p95'} latency readings, so this is a percentile of per-interval percentiles.`
    : '';
  return `Definition: ${definition.name} v${definition.version}: ${definition.formula}.${source}`;
}
