import { randomUUID } from 'node:crypto';
import type { ExtendedAnomaly, NewAnomaly, StoredAnomaly, UpsertedAnomalies } from '@opspilot/core/signals';
import type { SqlSession } from '../sql-session';
import { toTimestampText } from './signals-events';

type Row = Record<string, unknown>;

function utc(column: string): string {
  return `("${column}" AT TIME ZONE 'UTC') AS "${column}"`;
}

const returnedColumns = [
  '"id"', '"metric"', '"segment"', '"detector"', utc('windowStart'), utc('windowEnd'), '"expected"', '"lower"', '"upper"', '"actual"', '"score"',
  '"direction"::text AS "direction"', '"severity"::text AS "severity"', '"incidentId"', utc('createdAt'), utc('levelShiftAcceptedAt'),
].join(', ');

// The forecast, band, actual and direction describe the episode's strongest point, so they move together with the score:
// a pass whose peak is at least as strong brings its values (the latest on a tie), a weaker one leaves the stored peak.
const peakColumns = ['expected', 'lower', 'upper', 'actual', 'direction'];
const takePeak = peakColumns.map((column) => `"${column}" = CASE WHEN EXCLUDED."score" >= "Anomaly"."score" THEN EXCLUDED."${column}" ELSE "Anomaly"."${column}" END`);

/**
 * One INSERT ... ON CONFLICT DO UPDATE on the (workspace, metric, segment,
 * window start) key: PostgreSQL takes the row lock on conflict, so two passes
 * racing on the same episode are applied one after the other and GREATEST
 * keeps the later end and the larger severity (the Severity enum sorts info <
 * warning < critical) whichever commits first. The WHERE skips rows the batch
 * would not change, so a re-run returns nothing; a returned id equal to the
 * one proposed for the insert tells a new row from an extended one. The
 * `previous` CTE reads the rows as the statement's snapshot saw them (every
 * part of a WITH shares it): a row a racing pass inserted after it has none.
 */
const upsertStatement = `
  WITH previous AS (
    SELECT stored."id", stored."severity"::text AS "severity", stored."score", stored."actual", stored."expected", stored."direction"::text AS "direction",
           (stored."windowEnd" AT TIME ZONE 'UTC') AS "windowEnd"
      FROM "Anomaly" stored
      JOIN UNNEST($3::text[], $4::text[], $6::timestamp(3)[]) AS item(metric, segment, window_start)
        ON stored."workspaceId" = $1 AND stored."metric" = item.metric AND stored."segment" = item.segment AND stored."windowStart" = item.window_start
  ), upserted AS (
    INSERT INTO "Anomaly" ("id", "workspaceId", "metric", "segment", "detector", "windowStart", "windowEnd", "expected", "lower", "upper", "actual",
                           "score", "direction", "severity", "levelShiftAcceptedAt", "createdAt")
    SELECT item.id, $1, item.metric, item.segment, item.detector, item.window_start, item.window_end, item.expected, item.lower, item.upper, item.actual,
           item.score, item.direction::"Direction", item.severity::"Severity", item.accepted_at, now() AT TIME ZONE 'UTC'
      FROM UNNEST($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamp(3)[], $7::timestamp(3)[], $8::float8[], $9::float8[], $10::float8[],
                  $11::float8[], $12::float8[], $13::text[], $14::text[], $15::timestamp(3)[])
           AS item(id, metric, segment, detector, window_start, window_end, expected, lower, upper, actual, score, direction, severity, accepted_at)
    ON CONFLICT ("workspaceId", "metric", "segment", "windowStart") DO UPDATE SET
      "windowEnd" = GREATEST("Anomaly"."windowEnd", EXCLUDED."windowEnd"),
      "severity" = GREATEST("Anomaly"."severity", EXCLUDED."severity"),
      "score" = GREATEST("Anomaly"."score", EXCLUDED."score"),
      ${takePeak.join(', ')},
      "levelShiftAcceptedAt" = COALESCE("Anomaly"."levelShiftAcceptedAt", EXCLUDED."levelShiftAcceptedAt")
    WHERE EXCLUDED."windowEnd" > "Anomaly"."windowEnd" OR EXCLUDED."severity" > "Anomaly"."severity" OR EXCLUDED."score" > "Anomaly"."score"
       OR ("Anomaly"."levelShiftAcceptedAt" IS NULL AND EXCLUDED."levelShiftAcceptedAt" IS NOT NULL)
    RETURNING ${returnedColumns}
  )
  SELECT upserted.*, previous."id" AS "previousId", previous."severity" AS "previousSeverity", previous."score" AS "previousScore",
         previous."actual" AS "previousActual", previous."expected" AS "previousExpected", previous."direction" AS "previousDirection",
         previous."windowEnd" AS "previousWindowEnd"
    FROM upserted LEFT JOIN previous ON previous."id" = upserted."id"`;

const keyOf = (anomaly: Pick<NewAnomaly, 'metric' | 'segment' | 'windowStart'>): string => `${anomaly.metric}\u0000${anomaly.segment}\u0000${anomaly.windowStart.getTime()}`;

/**
 * One row per key (a statement may not update the same row twice; the longer
 * one wins), in key order so two racing batches lock rows in the same order.
 */
function prepareRows(anomalies: readonly NewAnomaly[]): NewAnomaly[] {
  const byKey = new Map<string, NewAnomaly>();
  for (const anomaly of anomalies) {
    const existing = byKey.get(keyOf(anomaly));
    if (!existing || anomaly.windowEnd > existing.windowEnd) byKey.set(keyOf(anomaly), anomaly);
  }
  return [...byKey.values()].sort((a, b) => a.windowStart.getTime() - b.windowStart.getTime() || keyOf(a).localeCompare(keyOf(b)));
}

function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

function mapAnomaly(row: Row): StoredAnomaly {
  return {
    id: String(row.id), metric: String(row.metric), segment: String(row.segment), detector: String(row.detector),
    windowStart: toDate(row.windowStart), windowEnd: toDate(row.windowEnd), expected: Number(row.expected), lower: Number(row.lower),
    upper: Number(row.upper), actual: Number(row.actual), score: Number(row.score), direction: row.direction as StoredAnomaly['direction'],
    severity: row.severity as StoredAnomaly['severity'], incidentId: (row.incidentId as string | null) ?? null, createdAt: toDate(row.createdAt),
    levelShiftAcceptedAt: row.levelShiftAcceptedAt === null || row.levelShiftAcceptedAt === undefined ? null : toDate(row.levelShiftAcceptedAt),
  };
}

function mapPrevious(row: Row): ExtendedAnomaly['before'] {
  if (row.previousId === null || row.previousId === undefined) return null;
  return {
    windowEnd: toDate(row.previousWindowEnd), severity: row.previousSeverity as StoredAnomaly['severity'], score: Number(row.previousScore),
    actual: Number(row.previousActual), expected: Number(row.previousExpected), direction: row.previousDirection as StoredAnomaly['direction'],
  };
}

/** Inserts new anomalies and extends stored ones in one statement; see `AnomalyStore.upsertAnomalies`. */
export async function upsertAnomalies(session: SqlSession, workspaceId: string, anomalies: readonly NewAnomaly[]): Promise<UpsertedAnomalies> {
  if (anomalies.length === 0) return { created: [], extended: [] };
  const rows = prepareRows(anomalies);
  const ids = rows.map(() => randomUUID());
  const column = <T>(read: (anomaly: NewAnomaly) => T): T[] => rows.map(read);
  const returned = await session.query<Row>(upsertStatement, [
    workspaceId, ids, column((row) => row.metric), column((row) => row.segment), column((row) => row.detector),
    column((row) => toTimestampText(row.windowStart)), column((row) => toTimestampText(row.windowEnd)),
    column((row) => row.expected), column((row) => row.lower), column((row) => row.upper), column((row) => row.actual), column((row) => row.score),
    column((row) => row.direction), column((row) => row.severity),
    column((row) => (row.levelShiftAcceptedAt ? toTimestampText(row.levelShiftAcceptedAt) : null)),
  ]);
  const proposed = new Set<string>(ids);
  const ordered = [...returned].sort((a, b) => toDate(a.windowStart).getTime() - toDate(b.windowStart).getTime());
  return {
    created: ordered.filter((row) => proposed.has(String(row.id))).map(mapAnomaly),
    extended: ordered.filter((row) => !proposed.has(String(row.id))).map((row) => ({ ...mapAnomaly(row), before: mapPrevious(row) })),
  };
}
