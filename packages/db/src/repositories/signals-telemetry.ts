import type { PeriodAggregate } from '@opspilot/core/signals';
import type { Database } from '../client';
import { toTimestampText } from './signals-events';

const dayMs = 86_400_000;

/** 5-minute telemetry kept as daily rollups too: sums for counts, the day's percentile for latencies. */
const telemetryRollups: readonly { metric: string; aggregate: string }[] = [
  { metric: 'api_requests', aggregate: 'SUM("value")' },
  { metric: 'api_errors', aggregate: 'SUM("value")' },
  { metric: 'api_latency_p50_ms', aggregate: 'percentile_disc(0.5) WITHIN GROUP (ORDER BY "value")' },
  { metric: 'api_latency_p95_ms', aggregate: 'percentile_disc(0.95) WITHIN GROUP (ORDER BY "value")' },
];

/**
 * Rolls the 5-minute telemetry of complete days before `until` (from `since`)
 * into "1d" rows of the same metric, so a year of daily values reads 365 rows
 * instead of 105,000. Called by the detection job; idempotent (an upsert that
 * replaces), and days after the newest rollup are read from the raw points.
 */
export async function refreshTelemetryRollups(db: Database, workspaceId: string, options: { until: Date; since?: Date }): Promise<void> {
  const until = new Date(Math.floor(options.until.getTime() / dayMs) * dayMs);
  const since = options.since ?? new Date(0);
  for (const { metric, aggregate } of telemetryRollups) {
    await db.execute(
      `INSERT INTO "MetricPoint" ("workspaceId", "metric", "interval", "segment", "ts", "value", "count")
       SELECT $1, $2, '1d', '', date_trunc('day', "ts"), ${aggregate}, COUNT(*) FROM "MetricPoint"
        WHERE "workspaceId" = $1 AND "metric" = $2 AND "interval" = '5m' AND "segment" = '' AND "ts" >= $3::timestamp(3) AND "ts" < $4::timestamp(3)
        GROUP BY date_trunc('day', "ts")
       ON CONFLICT ("workspaceId", "metric", "interval", "segment", "ts") DO UPDATE SET "value" = EXCLUDED."value", "count" = EXCLUDED."count"`,
      [workspaceId, metric, toTimestampText(since), toTimestampText(until)],
    );
  }
}

type Periods = readonly { start: Date; end: Date }[];

/**
 * Sums (or a quantile) of stored points per period inside [from, to), computed
 * in the database: one index range scan, width_bucket over the (sorted,
 * contiguous) period starts gives each point its period.
 */
export async function aggregatePerPeriod(
  db: Database,
  workspaceId: string,
  query: { metric: string; interval: string; periods: Periods; quantile?: number | undefined; from?: Date; to?: Date },
): Promise<PeriodAggregate[]> {
  const first = query.periods[0];
  const last = query.periods.at(-1);
  if (!first || !last) return [];
  const from = query.from ?? first.start;
  const to = query.to ?? last.end;
  const aggregate = query.quantile === undefined ? 'SUM("value")' : `percentile_disc(${query.quantile}) WITHIN GROUP (ORDER BY "value")`;
  const rows = from < to ? await db.query<{ position: number; value: number | null; count: string | number }>(
    `SELECT width_bucket("ts", $2::timestamp(3)[]) AS "position", ${aggregate} AS "value", COUNT(*) AS "count"
       FROM "MetricPoint"
      WHERE "workspaceId" = $1 AND "metric" = $3 AND "interval" = $4 AND "segment" = '' AND "ts" >= $5::timestamp(3) AND "ts" < $6::timestamp(3)
      GROUP BY 1`,
    [workspaceId, query.periods.map((period) => toTimestampText(period.start)), query.metric, query.interval, toTimestampText(from), toTimestampText(to)],
  ) : [];
  const byPosition = new Map(rows.map((row) => [Number(row.position), row]));
  return query.periods.map((period, index) => {
    const row = byPosition.get(index + 1);
    return { ...period, value: Number(row?.value ?? 0), count: Number(row?.count ?? 0) };
  });
}

function isWholeDay(period: { start: Date; end: Date }): boolean {
  return period.start.getTime() % dayMs === 0 && period.end.getTime() - period.start.getTime() === dayMs;
}

/**
 * Per-period aggregates of 5-minute telemetry, from the daily rollups where
 * they exist and give the same answer (sums over whole days; a quantile only
 * when every period is one whole day) and from the raw points elsewhere
 * (a clipped first day, days newer than the last rollup).
 */
export async function aggregateTelemetry(db: Database, workspaceId: string, query: { metric: string; periods: Periods; quantile?: number | undefined }): Promise<PeriodAggregate[]> {
  const first = query.periods[0];
  const last = query.periods.at(-1);
  if (!first || !last) return [];
  const raw = (from: Date, to: Date) => aggregatePerPeriod(db, workspaceId, { ...query, interval: '5m', from, to });
  if (query.quantile !== undefined && !query.periods.every(isWholeDay)) return raw(first.start, last.end);
  const [newest] = await db.query<{ at: number | null }>(
    `SELECT (EXTRACT(EPOCH FROM MAX("ts")) * 1000)::float8 AS "at" FROM "MetricPoint" WHERE "workspaceId" = $1 AND "metric" = $2 AND "interval" = '1d' AND "segment" = ''`,
    [workspaceId, query.metric],
  );
  const rolledFrom = new Date(Math.ceil(first.start.getTime() / dayMs) * dayMs);
  const rolledTo = new Date(Math.min(newest?.at == null ? 0 : Number(newest.at) + dayMs, Math.floor(last.end.getTime() / dayMs) * dayMs));
  if (rolledTo <= rolledFrom) return raw(first.start, last.end);
  const parts = [
    await raw(first.start, rolledFrom),
    await aggregatePerPeriod(db, workspaceId, { ...query, interval: '1d', from: rolledFrom, to: rolledTo }),
    await raw(rolledTo, last.end),
  ];
  return query.periods.map((period, index) => {
    const pieces = parts.map((part) => part[index]!);
    // A quantile period is one whole day, so exactly one part has its value.
    const value = query.quantile === undefined ? pieces.reduce((total, piece) => total + piece.value, 0) : (pieces.find((piece) => piece.count > 0)?.value ?? 0);
    return { ...period, value, count: pieces.reduce((total, piece) => total + piece.count, 0) };
  });
}
