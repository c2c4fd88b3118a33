import { describe, expect, it } from 'vitest';
import { computeDemoChecksum, countDemoRows, expandMetricPoints, generateDemoDataset } from './index';

const now = new Date('2026-11-25T13:45:00Z');

describe('generateDemoDataset determinism', () => {
  it('gives the same checksum for the same seed and anchor, twice', () => {
    const first = computeDemoChecksum(generateDemoDataset({ now, seed: 7 }));
    const second = computeDemoChecksum(generateDemoDataset({ now, seed: 7 }));
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toBe(first);
  });

  it('normalises the anchor to UTC midnight, so any time of the same day gives the same data', () => {
    const morning = generateDemoDataset({ now: new Date('2026-11-25T00:00:00Z') });
    const evening = generateDemoDataset({ now: new Date('2026-11-25T23:59:59Z') });
    expect(morning.anchor.toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(computeDemoChecksum(evening)).toBe(computeDemoChecksum(morning));
  });

  it('gives a different checksum for a different seed or a different day', () => {
    const base = computeDemoChecksum(generateDemoDataset({ now, seed: 7 }));
    expect(computeDemoChecksum(generateDemoDataset({ now, seed: 8 }))).not.toBe(base);
    expect(
      computeDemoChecksum(generateDemoDataset({ now: new Date('2026-11-26T00:00:00Z'), seed: 7 })),
    ).not.toBe(base);
  });

  it('changes the checksum when any single value changes', () => {
    const dataset = generateDemoDataset({ now });
    const before = computeDemoChecksum(dataset);
    const series = dataset.metricSeries[3];
    if (!series) throw new Error('missing series');
    series.values[500] = (series.values[500] ?? 0) + 1;
    expect(computeDemoChecksum(dataset)).not.toBe(before);
  });

  it('rejects an invalid anchor or workspace id', () => {
    expect(() => generateDemoDataset({ now: new Date('nope') })).toThrow();
    expect(() => generateDemoDataset({ now, workspaceId: 'has space' })).toThrow();
  });

  it('reports row counts that match the records and expands series into MetricPoint rows', () => {
    const dataset = generateDemoDataset({ now });
    const counts = countDemoRows(dataset);
    expect(counts.Customer).toBe(dataset.customers.length);
    expect(counts.MetricPoint).toBe(2 * 365 + 4 * 365 * 288);
    const latency = dataset.metricSeries.find((series) => series.metric === 'api_latency_p95_ms');
    if (!latency) throw new Error('missing latency series');
    const points = expandMetricPoints(latency);
    expect(points).toHaveLength(365 * 288);
    expect(points[0]?.ts.toISOString()).toBe('2025-11-25T00:00:00.000Z');
    expect(points.at(-1)?.ts.toISOString()).toBe('2026-11-24T23:55:00.000Z');
    expect(points[1]).toMatchObject({
      workspaceId: 'ws_demo_acme',
      interval: '5m',
      segment: '',
      count: 1,
      value: latency.values[1],
    });
  });
});
