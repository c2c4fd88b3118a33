import type { DemoMetricSeries } from '@opspilot/core/demo';
import type { SqlSession } from '../sql-session';

/** Rows per statement: big enough to amortise round trips, small enough to keep each JSON text a few MB. */
const rowsPerStatement = 4_000;
/** Metric values per statement; each costs one float in an array literal. */
const valuesPerStatement = 25_000;

/** Postgres identifiers of the tables the demo fills; quoted, so they keep Prisma's model names. */
export type SeedTable =
  'Workspace' | 'Plan' | 'Customer' | 'Subscription' | 'MrrChange' | 'Invoice' | 'SupportTicket' | 'Deploy';

/**
 * Inserts plain records whose keys are the table's column names. Each chunk is
 * one statement with one JSON parameter, expanded server-side by
 * `json_populate_recordset` against the table's own row type, so enum,
 * jsonb, array and timestamp columns convert without per-column casts and the
 * same SQL runs on PGlite and PostgreSQL. Dates serialise as UTC ISO strings,
 * which `timestamp(3)` columns store as UTC wall time, as Prisma does.
 */
export async function insertRows(
  session: SqlSession,
  table: SeedTable,
  rows: readonly object[],
): Promise<number> {
  const first = rows[0];
  if (!first) return 0;
  const columns = Object.keys(first)
    .map((column) => `"${column}"`)
    .join(', ');
  const sql = `INSERT INTO "${table}" (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::"${table}", $1::json)`;
  let inserted = 0;
  for (let offset = 0; offset < rows.length; offset += rowsPerStatement) {
    inserted += await session.execute(sql, [JSON.stringify(rows.slice(offset, offset + rowsPerStatement))]);
  }
  return inserted;
}

const insertSeriesSql = `INSERT INTO "MetricPoint" ("workspaceId", "metric", "interval", "segment", "ts", "value", "count")
SELECT $1, $2, $3, $4, $5::timestamp(3) + ((point.position - 1) * $6::integer) * INTERVAL '1 minute', point.value, 1
FROM unnest($7::double precision[]) WITH ORDINALITY AS point(value, position)`;

/** Postgres `timestamp` text for a UTC instant. */
function formatTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * Inserts a regular series: only the values travel (as one array literal per
 * chunk); timestamps are computed in the database from the start and step.
 */
export async function insertMetricSeries(session: SqlSession, series: DemoMetricSeries): Promise<number> {
  let inserted = 0;
  for (let offset = 0; offset < series.values.length; offset += valuesPerStatement) {
    const values = series.values.slice(offset, offset + valuesPerStatement);
    const start = new Date(series.start.getTime() + offset * series.stepMinutes * 60_000);
    inserted += await session.execute(insertSeriesSql, [
      series.workspaceId,
      series.metric,
      series.interval,
      series.segment,
      formatTimestamp(start),
      series.stepMinutes,
      `{${values.join(',')}}`,
    ]);
  }
  return inserted;
}
