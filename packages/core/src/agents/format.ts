import { describeAnomalyValues, formatMetricValue, formatMoneyValue, isShareMetric, metricDefinitions, type MetricDefinition } from '../signals';
import type { AnomalyInfo } from './ports';

/** Chat answers read every figure in the precise style of the shared metric formatter. */
const precise = { style: 'precise' } as const;

/** "$1,234.56" from cents. */
export function formatCents(cents: number): string {
  return formatMoneyValue(cents, precise);
}

/**
 * A metric value in the unit its definition names, as a chat answer states it
 * (the quick ratio, a multiple, reads as a plain number); a missing value is
 * "undefined for this period".
 */
export function describeMetricValue(definition: MetricDefinition, value: number | null): string {
  return formatMetricValue(definition, value, { ...precise, missing: 'undefined for this period' });
}

/** A change between two values: "+$1,200.00 (+3.10%)"; a share's change is in points: "+0.50 points (+20.00%)". */
export function formatChange(definition: MetricDefinition, before: number | null, after: number | null): string {
  if (before === null || after === null) return 'not comparable (a value is undefined)';
  const difference = after - before;
  const sign = difference > 0 ? '+' : difference < 0 ? '-' : '±';
  const magnitude = isShareMetric(definition)
    ? `${formatMetricValue({ unit: 'ratio' }, Math.abs(difference), precise).replace(/%$/, '')} points`
    : formatMetricValue(definition, Math.abs(difference), precise);
  const absolute = `${sign}${magnitude}`;
  if (before === 0) return absolute;
  const relative = formatMetricValue({ unit: 'ratio' }, Math.abs(difference / before), precise);
  return `${absolute} (${difference >= 0 ? '+' : '-'}${relative})`;
}

/**
 * An anomaly's metric, segment, actual and expected value in the metric's own
 * units (anomalies are stored in them, decision 0011): "Churned customers
 * (growth): 11 against an expected 1.19 (sum over 7 days)". Counts keep up to
 * two decimals, since an expected count is a forecast, not a whole number.
 */
export function describeAnomaly(anomaly: Pick<AnomalyInfo, 'metric' | 'segment' | 'actual' | 'expected'>): string {
  const { metricName, valueWindow } = describeAnomalyValues(anomaly.metric);
  const subject = metricDefinitions[anomaly.metric] ?? { unit: 'count' };
  const format = (value: number) => formatMetricValue(subject, value, precise);
  const segment = anomaly.segment ? ` (${anomaly.segment})` : '';
  return `${metricName}${segment}: ${format(anomaly.actual)} against an expected ${format(anomaly.expected)}${valueWindow ? ` (${valueWindow})` : ''}`;
}
