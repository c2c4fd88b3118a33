import { describe, expect, it } from 'vitest';
import { formatSummaryValue } from './signals-service-detection';

describe('incident summaries read in the series unit, in the precise style', () => {
  it.each([
    [430.4, 'latency_p95', '430.40 ms'],
    [0.0213, 'error_rate', '2.13%'],
    [125_000, 'mrr', '$1,250.00'],
    [3.5, 'quick_ratio', '3.50'],
    [11, 'churned_customers', '11'],
    [1.385426908, 'error_count', '1.39'],
    [12_345, 'request_count', '12,345'],
    [2.5, 'not_a_metric', '2.5'],
  ])('%s %s reads "%s"', (value, metric, text) => {
    expect(formatSummaryValue(metric, value)).toBe(text);
  });
});
