import { AppError } from '../errors';

/** A NAB-format series: the original timestamp strings, their times (ms, UTC) and values. */
export interface NabSeries {
  rawTimestamps: string[];
  timestamps: number[];
  values: number[];
}

/** Parses "2014-04-01 00:00:00" (NAB, UTC) or ISO 8601 into epoch ms. */
export function parseNabTimestamp(text: string): number {
  const trimmed = text.trim();
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(trimmed) ? `${trimmed.replace(' ', 'T')}Z` : trimmed;
  const time = Date.parse(iso);
  return time;
}

/**
 * Parses a `timestamp,value` CSV with a header row. Throws BAD_REQUEST naming
 * the first bad line, so a user sees what to fix.
 */
export function parseNabCsv(text: string, name = 'input'): NabSeries {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0]?.split(',').map((cell) => cell.trim().toLowerCase());
  if (!header || header[0] !== 'timestamp' || header[1] !== 'value') {
    throw new AppError('BAD_REQUEST', `${name}: expected a header "timestamp,value"`);
  }
  const series: NabSeries = { rawTimestamps: [], timestamps: [], values: [] };
  lines.slice(1).forEach((line, index) => {
    const [rawTimestamp = '', rawValue = ''] = line.split(',');
    const timestamp = parseNabTimestamp(rawTimestamp);
    const value = Number(rawValue);
    if (Number.isNaN(timestamp) || rawValue.trim() === '' || !Number.isFinite(value)) {
      throw new AppError('BAD_REQUEST', `${name}: line ${index + 2} is not "timestamp,value": ${line.slice(0, 80)}`);
    }
    series.rawTimestamps.push(rawTimestamp.trim());
    series.timestamps.push(timestamp);
    series.values.push(value);
  });
  return series;
}

/** Writes `timestamp,value,anomaly_score` rows, keeping the input's timestamp text. */
export function formatScoredCsv(series: NabSeries, scores: readonly number[]): string {
  const rows = series.rawTimestamps.map((timestamp, index) => `${timestamp},${series.values[index]},${scores[index] ?? 0}`);
  return `timestamp,value,anomaly_score\n${rows.join('\n')}\n`;
}
