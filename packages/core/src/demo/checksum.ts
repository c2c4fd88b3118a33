import { createHash } from 'node:crypto';
import { addMinutes } from './calendar';
import type { DemoDataset, DemoMetricPoint, DemoMetricSeries } from './types';

/** JSON with sorted keys and dates as ISO strings: one text per record, whatever the key order. */
function serialiseCanonically(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(serialiseCanonically).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([left], [right]) =>
      left < right ? -1 : left > right ? 1 : 0,
    );
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${serialiseCanonically(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * SHA-256 (hex) over a canonical serialisation of every record, table by
 * table in a fixed order. Equal checksums mean equal datasets.
 */
export function computeDemoChecksum(dataset: DemoDataset): string {
  const hash = createHash('sha256');
  const tables: [string, readonly unknown[]][] = [
    ['Workspace', [dataset.workspace]],
    ['Plan', dataset.plans],
    ['Customer', dataset.customers],
    ['Subscription', dataset.subscriptions],
    ['MrrChange', dataset.mrrChanges],
    ['Invoice', dataset.invoices],
    ['SupportTicket', dataset.supportTickets],
    ['Deploy', dataset.deploys],
  ];
  for (const [table, rows] of tables) {
    for (const row of rows) hash.update(`${table}\t${serialiseCanonically(row)}\n`);
  }
  for (const series of dataset.metricSeries) {
    const { values, ...header } = series;
    hash.update(`MetricSeries\t${serialiseCanonically(header)}\n${values.join(',')}\n`);
  }
  return hash.digest('hex');
}

/** Expands a compact series into MetricPoint records (count 1 each). */
export function expandMetricPoints(series: DemoMetricSeries): DemoMetricPoint[] {
  return series.values.map((value, index) => ({
    workspaceId: series.workspaceId,
    metric: series.metric,
    interval: series.interval,
    segment: series.segment,
    ts: addMinutes(series.start, index * series.stepMinutes),
    value,
    count: 1,
  }));
}
