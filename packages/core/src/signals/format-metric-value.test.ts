import { describe, expect, it } from 'vitest';
import { formatMetricValue, formatMoneyValue, formatShareValue, type MetricFormatSubject, type MetricValueStyle } from './format-metric-value';
import { metricDefinitions, type MetricUnit } from './metric-definitions';

const quickRatio: MetricFormatSubject = { unit: 'ratio', key: 'quick_ratio' };

/** [subject, value, compact, precise] */
const table: [MetricFormatSubject, number, string, string][] = [
  [{ unit: 'cents' }, 125_000, '$1,250', '$1,250.00'],
  [{ unit: 'cents' }, 13_779_312, '$137,793', '$137,793.12'],
  [{ unit: 'cents' }, 4_567, '$45.67', '$45.67'],
  [{ unit: 'cents' }, 4_500, '$45', '$45.00'],
  [{ unit: 'cents' }, 9_999.6, '$100', '$100.00'],
  [{ unit: 'cents' }, 0, '$0', '$0.00'],
  [{ unit: 'cents' }, -125_000, '-$1,250', '-$1,250.00'],
  [{ unit: 'cents' }, -350, '-$3.50', '-$3.50'],
  [{ unit: 'cents' }, -0.2, '$0', '$0.00'],
  [{ unit: 'cents' }, 123_456_789_012, '$1,234,567,890', '$1,234,567,890.12'],
  [{ unit: 'cents_per_customer' }, 14_900, '$149', '$149.00'],
  [{ unit: 'cents_per_customer' }, 4_966.67, '$49.67', '$49.67'],
  [{ unit: 'ratio' }, 0.0213, '2.13%', '2.13%'],
  [{ unit: 'ratio' }, 0.123, '12.3%', '12.30%'],
  [{ unit: 'ratio' }, 1.05, '105%', '105.00%'],
  [{ unit: 'ratio' }, 0, '0%', '0.00%'],
  [{ unit: 'ratio' }, -0.031, '-3.1%', '-3.10%'],
  [{ unit: 'ratio' }, -0.00001, '0%', '0.00%'],
  [{ unit: 'ratio' }, 1234.5, '123,450%', '123,450.00%'],
  [quickRatio, 3.5, '3.5', '3.50'],
  [quickRatio, 0, '0', '0.00'],
  [quickRatio, -1.234, '-1.23', '-1.23'],
  [quickRatio, 12_345.678, '12,345.68', '12,345.68'],
  [{ unit: 'ratio', key: 'nrr' }, 1.05, '105%', '105.00%'],
  [{ unit: 'milliseconds' }, 430.4, '430 ms', '430.40 ms'],
  [{ unit: 'milliseconds' }, 0, '0 ms', '0.00 ms'],
  [{ unit: 'milliseconds' }, -12.5, '-13 ms', '-12.50 ms'],
  [{ unit: 'milliseconds' }, 1_234_567.891, '1,234,568 ms', '1,234,567.89 ms'],
  [{ unit: 'requests_per_minute' }, 1_234.567, '1,235/min', '1,234.57 requests/min'],
  [{ unit: 'requests_per_minute' }, 2.5, '2.5/min', '2.50 requests/min'],
  [{ unit: 'requests_per_minute' }, 0, '0/min', '0.00 requests/min'],
  [{ unit: 'requests_per_minute' }, -3, '-3/min', '-3.00 requests/min'],
  [{ unit: 'count' }, 11, '11', '11'],
  [{ unit: 'count' }, 1.385426908, '1.39', '1.39'],
  [{ unit: 'count' }, 12.5, '13', '12.5'],
  [{ unit: 'count' }, 0, '0', '0'],
  [{ unit: 'count' }, -4, '-4', '-4'],
  [{ unit: 'count' }, -0.001, '0', '0'],
  [{ unit: 'count' }, 1_234_567, '1,234,567', '1,234,567'],
  [{ unit: 'widgets' }, 1_234.5, '1,235', '1,234.5'],
];

describe('formatMetricValue', () => {
  it.each(table)('%o %s reads "%s" compact and "%s" precise', (subject, value, compact, precise) => {
    expect(formatMetricValue(subject, value, { style: 'compact' })).toBe(compact);
    expect(formatMetricValue(subject, value, { style: 'precise' })).toBe(precise);
  });

  it('covers every unit a metric definition uses, so a new unit gets a row here', () => {
    const units = new Set<MetricUnit>(Object.values(metricDefinitions).map((definition) => definition.unit));
    const tested = new Set(table.map(([subject]) => subject.unit));
    expect([...units].filter((unit) => !tested.has(unit))).toEqual([]);
  });

  it.each([null, undefined, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('%s reads the missing text the call site gives, "—" by default', (value) => {
    for (const style of ['compact', 'precise'] as MetricValueStyle[]) {
      for (const subject of [{ unit: 'cents' }, { unit: 'ratio' }, quickRatio, { unit: 'milliseconds' }, { unit: 'count' }]) {
        expect(formatMetricValue(subject, value, { style })).toBe('—');
        expect(formatMetricValue(subject, value, { style, missing: 'undefined for this period' })).toBe('undefined for this period');
      }
    }
  });

  it('reads the quick ratio of the real definition as a plain number, and other ratio definitions as percent', () => {
    expect(formatMetricValue(metricDefinitions.quick_ratio!, 2.25, { style: 'precise' })).toBe('2.25');
    expect(formatMetricValue(metricDefinitions.customer_churn_rate!, 0.025, { style: 'precise' })).toBe('2.50%');
  });

  it('shows money in the currency given', () => {
    expect(formatMetricValue({ unit: 'cents' }, 125_000, { style: 'compact', currency: 'eur' })).toBe('€1,250');
    expect(formatMetricValue({ unit: 'cents' }, -125_050, { style: 'precise', currency: 'GBP' })).toBe('-£1,250.50');
  });

  it.each([
    [{ unit: 'cents' }, 165_351_600, '$1.65M'],
    [{ unit: 'cents' }, -165_351_600, '-$1.65M'],
    [{ unit: 'cents' }, 13_779_312, '$137,793'],
    [{ unit: 'cents' }, 100_000_000, '$1M'],
    [{ unit: 'count' }, 999_999, '999,999'],
    [{ unit: 'count' }, 2_500_000_000, '2.5B'],
    [{ unit: 'milliseconds' }, 1_234_567, '1.23M ms'],
    [{ unit: 'ratio' }, 25_000, '2,500,000%'],
  ])('abbreviates %o %s on axes as "%s"', (subject, value, text) => {
    expect(formatMetricValue(subject, value, { style: 'compact', abbreviate: true })).toBe(text);
  });

  it('never abbreviates precise text', () => {
    expect(formatMetricValue({ unit: 'cents' }, 165_351_600, { style: 'precise', abbreviate: true })).toBe('$1,653,516.00');
  });

  it('formats money and shares outside a metric by the same rules', () => {
    expect(formatMoneyValue(14_900, { style: 'precise' })).toBe('$149.00');
    expect(formatMoneyValue(14_900, { style: 'compact' })).toBe('$149');
    expect(formatShareValue(0.031, { style: 'compact' })).toBe('3.1%');
    expect(formatShareValue(0.031, { style: 'precise' })).toBe('3.10%');
  });
});
