import { rangeDays, type MetricQuery } from './catalog';

/** The `{from, to}` a metric query covers, ending at `now` (rounded up to the next UTC day). */
export function resolveQueryRange(query: Pick<MetricQuery, 'range'>, now: Date): { from: Date; to: Date } {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  return { from: new Date(to.getTime() - rangeDays[query.range] * 86_400_000), to };
}

export interface BandPoint {
  expected: number | null;
  lower: number | null;
  upper: number | null;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * The expected band drawn behind a series: for each point, the median of the
 * previous `window` values plus or minus `width` robust deviations (1.4826 x
 * MAD, floored at 2% of the level so a flat series still has a visible band).
 * Trailing only, so a point never explains itself. A display aid; anomaly
 * markers come from the signals detectors, not from this band.
 */
export function computeExpectedBand(values: readonly (number | null)[], options: { window?: number; width?: number } = {}): BandPoint[] {
  const window = options.window ?? 14;
  const width = options.width ?? 3;
  return values.map((_, index) => {
    const history = values.slice(Math.max(0, index - window), index).filter((value): value is number => value !== null && Number.isFinite(value));
    if (history.length < Math.min(4, window)) return { expected: null, lower: null, upper: null };
    const level = median(history);
    const deviation = 1.4826 * median(history.map((value) => Math.abs(value - level)));
    const scale = Math.max(deviation, Math.abs(level) * 0.02, 1e-9);
    return { expected: level, lower: level - width * scale, upper: level + width * scale };
  });
}
