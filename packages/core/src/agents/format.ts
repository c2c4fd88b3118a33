import { describeAnomalyValues, metricDefinitions, type MetricDefinition } from '../signals';
import type { AnomalyInfo } from './ports';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const decimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "$1,234.56" from cents. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  return `${sign}$${money.format(Math.abs(cents) / 100)}`;
}

/** "12.34%" from a ratio. */
export function formatPercent(ratio: number): string {
  return `${decimal.format(ratio * 100)}%`;
}

/**
 * A metric value in the unit its definition names. Ratios that are not
 * shares (the quick ratio) are shown as plain numbers.
 */
export function formatMetricValue(definition: MetricDefinition, value: number | null): string {
  if (value === null) return 'undefined for this period';
  switch (definition.unit) {
    case 'cents':
    case 'cents_per_customer':
      return formatCents(value);
    case 'count':
      return integer.format(value);
    case 'ratio':
      return definition.key === 'quick_ratio' ? decimal.format(value) : formatPercent(value);
    case 'requests_per_minute':
      return `${decimal.format(value)} requests/min`;
    case 'milliseconds':
      return `${decimal.format(value)} ms`;
    default: {
      const unreachable: never = definition.unit;
      return String(unreachable);
    }
  }
}

/** A change between two values: "+$1,200.00 (+3.10%)". */
export function formatChange(definition: MetricDefinition, before: number | null, after: number | null): string {
  if (before === null || after === null) return 'not comparable (a value is undefined)';
  const difference = after - before;
  const sign = difference > 0 ? '+' : difference < 0 ? '-' : '±';
  const magnitude = formatMetricValue(definition, Math.abs(difference)).replace(/^-/, '');
  const absolute = definition.unit === 'ratio' && definition.key !== 'quick_ratio' ? `${sign}${decimal.format(Math.abs(difference) * 100)} points` : `${sign}${magnitude}`;
  if (before === 0) return absolute;
  return `${absolute} (${difference >= 0 ? '+' : '-'}${decimal.format(Math.abs(difference / before) * 100)}%)`;
}

const upToTwoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/**
 * An anomaly's metric, segment, actual and expected value in the metric's own
 * units (anomalies are stored in them, decision 0011): "Churned customers
 * (growth): 11 against an expected 1.19 (sum over 7 days)". Counts keep two
 * decimals, since an expected count is a forecast, not a whole number.
 */
export function describeAnomaly(anomaly: Pick<AnomalyInfo, 'metric' | 'segment' | 'actual' | 'expected'>): string {
  const { metricName, unit, valueWindow } = describeAnomalyValues(anomaly.metric);
  const definition = metricDefinitions[anomaly.metric];
  const format = (value: number) => (definition && unit !== 'count' ? formatMetricValue(definition, value) : upToTwoDecimals.format(value));
  const segment = anomaly.segment ? ` (${anomaly.segment})` : '';
  return `${metricName}${segment}: ${format(anomaly.actual)} against an expected ${format(anomaly.expected)}${valueWindow ? ` (${valueWindow})` : ''}`;
}

export { integer as integerFormat };
