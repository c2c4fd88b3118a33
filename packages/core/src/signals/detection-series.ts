import type { AnomalyRecord } from './detect-anomalies';
import { metricDefinitions, type MetricUnit } from './metric-definitions';
import type { DailyCountKind, SeriesPoint, SignalsDeps } from './signals-ports';

const minuteMs = 60_000;
const dayMs = 86_400_000;

/**
 * One series the detection job scans and where its values come from. `metric` is a
 * metric definition key (name, unit and direction of good live in the definition);
 * a `points` source names the stored point series it reads, which is storage, never shown.
 */
export interface DetectionSeriesSpec {
  metric: string;
  source: { kind: 'points'; points: string; interval: '5m' | '1d' } | { kind: 'daily-counts'; countKind: DailyCountKind };
  stepMs: number;
  /** Consecutive anomalous points before an alert fires, and points it keeps firing after. */
  forPoints: number;
  keepFiringForPoints: number;
  alertDeviation: number;
  /** Judge the trailing sum of this many points (1 = raw): a sustained shift too small for one day adds up over several. */
  windowPoints: number;
  /**
   * Counts of rare events (a few per day) are judged on the Anscombe scale
   * 2 sqrt(x + 3/8), where Poisson noise has unit variance at any rate, so a
   * day with 2 churns is not "infinitely" unusual after many days with 0.
   * Stored anomalies are transformed back: the scale is for judging only.
   */
  countTransform: boolean;
  /**
   * Practical significance for counts: the window's count must exceed the expected count by at
   * least this many events before the anomaly opens an incident (two churns in a week where 0.3
   * are usual is statistically odd but nobody's emergency). Smaller ones are kept as info.
   */
  minimumExcess?: number;
}

function telemetry(metric: string, points: string): DetectionSeriesSpec {
  // Two points (10 minutes) must agree before paging: single 5-minute blips are noise at this volume.
  return {
    metric, source: { kind: 'points', points, interval: '5m' }, stepMs: 5 * minuteMs,
    forPoints: 2, keepFiringForPoints: 6, alertDeviation: 5, windowPoints: 1, countTransform: false,
  };
}

function daily(metric: string, source: DetectionSeriesSpec['source'], options: Partial<DetectionSeriesSpec> = {}): DetectionSeriesSpec {
  return { metric, source, stepMs: dayMs, forPoints: 1, keepFiringForPoints: 1, alertDeviation: 4, windowPoints: 1, countTransform: false, ...options };
}

const dailyPoints = (points: string) => ({ kind: 'points', points, interval: '1d' }) as const;
const dailyCounts = (countKind: DailyCountKind) => ({ kind: 'daily-counts', countKind }) as const;

/**
 * The series OpsPilot watches in every workspace: 5-minute API telemetry and
 * daily business metrics, each named by its metric definition key.
 */
export const detectionSeries: readonly DetectionSeriesSpec[] = [
  telemetry('latency_p95', 'api_latency_p95_ms'),
  telemetry('latency_p50', 'api_latency_p50_ms'),
  telemetry('error_count', 'api_errors'),
  telemetry('request_count', 'api_requests'),
  daily('signups', dailyPoints('signups'), { windowPoints: 3 }),
  daily('active_users', dailyPoints('active_users')),
  daily('failed_payments', dailyCounts('failed_payments'), { countTransform: true, alertDeviation: 5, minimumExcess: 4 }),
  // Churn per plan is a few customers a week: judged on weekly sums, a one-day blip of two is not a trend.
  daily('churned_customers', dailyCounts('churned_customers'), { windowPoints: 7, countTransform: true, alertDeviation: 4.5, minimumExcess: 3 }),
  daily('ticket_volume', dailyCounts('ticket_volume'), { countTransform: true, alertDeviation: 5, minimumExcess: 5 }),
];

/** The watched series of a metric key, if detection watches it. */
export function findDetectionSeries(metric: string): DetectionSeriesSpec | undefined {
  return detectionSeries.find((spec) => spec.metric === metric);
}

/** Groups by segment and fills missing days with 0: a day without churn is a 0, not a gap. */
function fillDailyCounts(rows: readonly (SeriesPoint & { segment: string })[], from: Date, to: Date): Map<string, SeriesPoint[]> {
  const bySegment = new Map<string, Map<number, number>>();
  for (const row of rows) {
    const days = bySegment.get(row.segment) ?? new Map<number, number>();
    days.set(row.ts.getTime(), (days.get(row.ts.getTime()) ?? 0) + row.value);
    bySegment.set(row.segment, days);
  }
  if (bySegment.size === 0) bySegment.set('', new Map());
  const first = Math.ceil(from.getTime() / dayMs) * dayMs;
  const result = new Map<string, SeriesPoint[]>();
  for (const [segment, days] of bySegment) {
    const points: SeriesPoint[] = [];
    for (let time = first; time + dayMs <= to.getTime(); time += dayMs) points.push({ ts: new Date(time), value: days.get(time) ?? 0 });
    result.set(segment, points);
  }
  return result;
}

/**
 * The raw values of a watched series in [from, to), per segment ('' when unsegmented):
 * stored points of its `points` source (complete buckets only), or daily counts with
 * missing days as 0.
 */
export async function loadWatchedSeries(
  deps: Pick<SignalsDeps, 'series'>,
  workspaceId: string,
  spec: DetectionSeriesSpec,
  range: { from: Date; to: Date },
): Promise<Map<string, SeriesPoint[]>> {
  const { from, to } = range;
  if (spec.source.kind === 'daily-counts') {
    return fillDailyCounts(await deps.series.loadDailyCounts(workspaceId, { kind: spec.source.countKind, from, to }), from, to);
  }
  const points = await deps.series.loadMetricPoints(workspaceId, { metric: spec.source.points, interval: spec.source.interval, segment: '', from, to });
  // Only complete buckets: a half-filled bucket would look like a drop.
  return new Map([['', points.filter((point) => point.ts.getTime() + spec.stepMs <= to.getTime())]]);
}

/** Trailing sums over `windowPoints` in the series' own units; timestamps stay those of the last point. */
export function sumTrailingWindows(points: readonly SeriesPoint[], windowPoints: number): SeriesPoint[] {
  const summed: SeriesPoint[] = [];
  let sum = 0;
  points.forEach((point, index) => {
    sum += point.value;
    if (index >= windowPoints) sum -= points[index - windowPoints]!.value;
    if (index + 1 < windowPoints) return;
    summed.push({ ts: point.ts, value: sum });
  });
  return summed;
}

const anscombeOfZero = 2 * Math.sqrt(0.375);

/** The Anscombe transform 2 sqrt(x + 3/8) of a count (negative sums, which counts cannot have, count as 0). */
function toAnscombe(count: number): number {
  return 2 * Math.sqrt(Math.max(0, count) + 0.375);
}

/**
 * The count whose Anscombe value is `value`. The transform is increasing from
 * the value of a 0 count upwards; a forecast or band bound below that (even
 * below 0, which a band can reach) stands for no events, so it maps to 0, not to
 * the mirrored (x/2)^2. Rounded to 1e-9 so an integer count comes back as itself.
 */
export function fromAnscombe(value: number): number {
  if (value <= anscombeOfZero) return 0;
  return Math.round(((value / 2) ** 2 - 0.375) * 1e9) / 1e9;
}

/** Trailing sums over `windowPoints` and the count transform: the values the detector judges. */
export function prepareSeries(points: readonly SeriesPoint[], spec: Pick<DetectionSeriesSpec, 'windowPoints' | 'countTransform'>): SeriesPoint[] {
  const summed = sumTrailingWindows(points, spec.windowPoints);
  return spec.countTransform ? summed.map((point) => ({ ts: point.ts, value: toAnscombe(point.value) })) : summed;
}

/**
 * An anomaly found on the judged scale, with actual, forecast and band back in
 * the series' own units (for a windowed series: the window's sum), which is what
 * is stored and shown. Score, direction and severity are kept from the judged scale.
 */
export function toSeriesUnits<T extends Pick<AnomalyRecord, 'actual' | 'expected' | 'lower' | 'upper'>>(spec: Pick<DetectionSeriesSpec, 'countTransform'>, record: T): T {
  if (!spec.countTransform) return record;
  return { ...record, actual: fromAnscombe(record.actual), expected: fromAnscombe(record.expected), lower: fromAnscombe(record.lower), upper: fromAnscombe(record.upper) };
}

/**
 * One segment of a watched series in [from, to) as detection sees it, in the
 * series' own units: trailing window sums (history before `from` is loaded for
 * the first windows), not transformed. What an incident chart draws under the
 * stored anomaly band.
 */
export async function readWatchedSeries(
  deps: Pick<SignalsDeps, 'series'>,
  workspaceId: string,
  spec: DetectionSeriesSpec,
  range: { from: Date; to: Date; segment: string },
): Promise<SeriesPoint[]> {
  const from = new Date(range.from.getTime() - (spec.windowPoints - 1) * spec.stepMs);
  const points = (await loadWatchedSeries(deps, workspaceId, spec, { from, to: range.to })).get(range.segment) ?? [];
  return sumTrailingWindows(points, spec.windowPoints);
}

/** How a person reads an anomaly's stored numbers. */
export interface AnomalyValueDescription {
  /** The metric definition's name ("Churned customers"); the key itself for an unknown metric. */
  metricName: string;
  unit: MetricUnit;
  /** For a windowed series, what the values add up ("sum over 7 days"); null when a value is one period's. */
  valueWindow: string | null;
}

/**
 * Name, unit and window of an anomaly's actual, expected and band, which are
 * stored in the series' own units: e.g. churned customers as a 7-day sum.
 */
export function describeAnomalyValues(metric: string): AnomalyValueDescription {
  const definition = metricDefinitions[metric];
  const spec = findDetectionSeries(metric);
  const windowDays = spec && spec.windowPoints > 1 ? Math.round((spec.windowPoints * spec.stepMs) / dayMs) : 0;
  return { metricName: definition?.name ?? metric, unit: definition?.unit ?? 'count', valueWindow: windowDays > 1 ? `sum over ${windowDays} days` : null };
}
