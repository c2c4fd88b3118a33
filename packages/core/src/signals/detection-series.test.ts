import { describe, expect, it } from 'vitest';
import { describeAnomalyValues, fromAnscombe, prepareSeries, sumTrailingWindows, toSeriesUnits } from './detection-series';

const day = (index: number) => ({ ts: new Date(Date.UTC(2026, 0, 1 + index)), value: [0, 2, 1, 0, 3, 0, 0, 5][index]! });
const churnPerDay = Array.from({ length: 8 }, (_, index) => day(index));

describe('back from the Anscombe scale', () => {
  const anscombe = (count: number) => 2 * Math.sqrt(count + 0.375);

  it('returns integer counts exactly', () => {
    for (const count of [0, 1, 2, 3, 7, 11, 40, 1234]) expect(fromAnscombe(anscombe(count))).toBe(count);
  });

  it('maps band bounds below the value of a zero count, including negative ones, to 0 instead of mirroring them', () => {
    expect(fromAnscombe(anscombe(0) - 0.01)).toBe(0);
    expect(fromAnscombe(0)).toBe(0);
    expect(fromAnscombe(-4)).toBe(0);
  });
});

describe('values in the series\' own units', () => {
  it('sums trailing windows, stamped with the window\'s last day', () => {
    const weekly = sumTrailingWindows(churnPerDay, 7);
    expect(weekly.map((point) => point.value)).toEqual([6, 11]);
    expect(weekly[0]!.ts).toEqual(churnPerDay[6]!.ts);
  });

  it('judges counts on the Anscombe scale but stores them as counts', () => {
    const judged = prepareSeries(churnPerDay, { windowPoints: 7, countTransform: true });
    expect(judged[1]!.value).toBeCloseTo(2 * Math.sqrt(11.375), 12);
    const stored = toSeriesUnits({ countTransform: true }, { actual: judged[1]!.value, expected: 2 * Math.sqrt(1.375), lower: -1.3, upper: 2 * Math.sqrt(4.375) });
    expect(stored).toEqual({ actual: 11, expected: 1, lower: 0, upper: 4 });
    const latency = { actual: 430.4, expected: 198.6, lower: 150.1, upper: 247.1 };
    expect(toSeriesUnits({ countTransform: false }, latency)).toBe(latency);
  });

  it('describes what a stored value is: name, unit and window', () => {
    expect(describeAnomalyValues('churned_customers')).toEqual({ metricName: 'Churned customers', unit: 'count', valueWindow: 'sum over 7 days' });
    expect(describeAnomalyValues('latency_p95')).toEqual({ metricName: 'Latency p95', unit: 'milliseconds', valueWindow: null });
    expect(describeAnomalyValues('something_new')).toEqual({ metricName: 'something_new', unit: 'count', valueWindow: null });
  });
});
