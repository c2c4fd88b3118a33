import { AppError } from '../errors';
import { computeActivitySeries } from './activity-metrics';
import { metricDefinitions, type MetricDefinition } from './metric-definitions';
import { MetricSeriesInput, type MetricFacts, type MetricSeriesPoint } from './metric-types';
import { summariseMrrPeriods } from './mrr-movements';
import { computeRevenueMetricValue, revenueMetricKeys } from './revenue-metrics';
import { enumeratePeriods, periodDays, type Period } from './time-buckets';

/** A computed series together with the definition (and formula) it follows. */
export interface MetricSeries {
  definition: MetricDefinition;
  interval: MetricSeriesInput['interval'];
  segment: string | null;
  points: MetricSeriesPoint[];
}

function parseSeriesInput(input: MetricSeriesInput): { options: MetricSeriesInput; definition: MetricDefinition } {
  const parsed = MetricSeriesInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', 'Invalid metric series request', {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  const definition = metricDefinitions[parsed.data.metric];
  if (!definition) throw new AppError('NOT_FOUND', `Metric ${parsed.data.metric} is not defined`);
  if (parsed.data.segment !== undefined && !definition.segmentable) {
    throw new AppError('BAD_REQUEST', `Metric ${definition.key} cannot be segmented by plan`);
  }
  return { options: parsed.data, definition };
}

function computePoints(facts: MetricFacts, options: MetricSeriesInput, periods: Period[], monthlyRate: boolean): MetricSeriesPoint[] {
  const { metric, segment } = options;
  if (!revenueMetricKeys.has(metric)) {
    const values = computeActivitySeries(metric, facts, periods, segment);
    return periods.map((period, index) => ({ ...period, value: values[index] ?? null }));
  }
  const summaries = summariseMrrPeriods(facts.mrrChanges, periods, segment);
  return periods.map((period, index) => {
    const summary = summaries[index]!;
    const point: MetricSeriesPoint = { ...period, value: computeRevenueMetricValue(metric, summary, period, monthlyRate) };
    if (metric === 'mrr') point.movements = summary.movements;
    return point;
  });
}

/**
 * Computes one metric over [from, to) at a day, week or month interval (UTC,
 * weeks start on Monday). Pure: reads only `facts`. MRR points carry their
 * movement breakdown. Throws BAD_REQUEST / NOT_FOUND AppErrors for bad input.
 */
export function computeMetricSeries(facts: MetricFacts, input: MetricSeriesInput): MetricSeries {
  const { options, definition } = parseSeriesInput(input);
  const periods = enumeratePeriods(options.from, options.to, options.interval);
  return { definition, interval: options.interval, segment: options.segment ?? null, points: computePoints(facts, options, periods, options.interval === 'month') };
}

export interface MetricSummary {
  definition: MetricDefinition;
  start: Date;
  end: Date;
  value: number | null;
  movements?: MetricSeriesPoint['movements'];
}

/**
 * One metric over one period [from, to) as a single number (the whole range is
 * one period, e.g. "last 30 days"); stocks are read at `to`.
 */
export function summariseMetric(facts: MetricFacts, input: { metric: string; from: Date; to: Date; segment?: string }): MetricSummary {
  const { options, definition } = parseSeriesInput({ ...input, interval: 'month' });
  const period = { start: options.from, end: options.to };
  // A range of 28-31 days is a month for LTV's churn rate; other lengths are converted.
  const days = periodDays(period);
  const point = computePoints(facts, options, [period], days >= 28 && days <= 31)[0]!;
  return { definition, start: period.start, end: period.end, value: point.value, ...(point.movements ? { movements: point.movements } : {}) };
}
