/** A point of a metric series: time in epoch milliseconds (UTC) and its value. */
export interface DetectorPoint {
  ts: number;
  value: number;
}

export type AnomalyDirection = 'up' | 'down';

/**
 * What a detector says about one point, using only the points before it.
 * `score` in [0, 1] is 0.5 exactly at the detector's alert level (`isAnomaly`);
 * `expected`, `lower` and `upper` are the forecast and band the point was judged against.
 */
export interface DetectorOutput {
  score: number;
  expected: number;
  lower: number;
  upper: number;
  isAnomaly: boolean;
  direction: AnomalyDirection | null;
  /** Robust deviation in scale units (|actual - expected| / scale); 0 while warming up. */
  deviation: number;
  /**
   * Set on the point where a quarantined anomalous level had lasted the "new normal"
   * horizon and the baseline re-anchored on it (see `createBaselineQuarantine`).
   */
  levelShiftAccepted?: boolean;
  /** Set while the baseline is quarantined: the point belongs to an anomalous episode the models do not learn from. */
  baselineHeld?: boolean;
}

/** An online anomaly detector: feed points in time order, one call each. */
export interface Detector {
  readonly name: string;
  observe(point: DetectorPoint): DetectorOutput;
}

/**
 * What models do with the point just judged: learn from it as usual, hold
 * (keep their baseline as it is: the point belongs to an anomalous episode), or
 * accept (the episode has lasted the "new normal" horizon: re-anchor the
 * baseline on the level of its recent points).
 */
export type BaselineAction = 'learn' | 'hold' | 'accept';

/**
 * A model whose judging and learning are two steps, so a combiner can judge a
 * point with every model first and then decide whether they learn from it.
 * `observe(point)` is `judge(point)` followed by `settle('learn')`.
 */
export interface BaselineModel extends Detector {
  /** Judges a point against the current baseline; only the long-run spread behind the scale floor learns from it. */
  judge(point: DetectorPoint): DetectorOutput;
  /** Learns from the point last judged, holds the baseline as it is, or re-anchors it on the held points. */
  settle(action: BaselineAction): void;
  /** Robust residual scale (Infinity while the model cannot judge yet). */
  scale(): number;
}

/**
 * Maps a deviation to a score in [0, 1): 1 - 2^(-deviation / alertDeviation),
 * so the alert level scores 0.5, twice it 0.75, three times 0.875. Monotone,
 * which is all a threshold sweep needs, and it keeps resolution at the top.
 */
export function scoreDeviation(deviation: number, alertDeviation: number): number {
  if (!Number.isFinite(deviation)) return 1;
  return deviation <= 0 ? 0 : 1 - Math.pow(2, -deviation / alertDeviation);
}

/** Scale below and above the forecast; equal for a symmetric model. */
export interface BandScale {
  lower: number;
  upper: number;
}

/** Builds an output from a forecast and its scale (one number, or one per side). */
export function buildOutput(options: { value: number; expected: number; scale: number | BandScale; alertDeviation: number }): DetectorOutput {
  const { value, expected, alertDeviation } = options;
  const band = typeof options.scale === 'number' ? { lower: options.scale, upper: options.scale } : options.scale;
  const residual = value - expected;
  const scale = residual >= 0 ? band.upper : band.lower;
  const deviation = scale > 0 ? Math.abs(residual) / scale : residual === 0 ? 0 : Number.POSITIVE_INFINITY;
  const score = scoreDeviation(deviation, alertDeviation);
  return {
    score,
    expected,
    lower: expected - alertDeviation * band.lower,
    upper: expected + alertDeviation * band.upper,
    isAnomaly: score >= 0.5,
    direction: residual > 0 ? 'up' : residual < 0 ? 'down' : null,
    deviation,
  };
}

/** Output for points seen while a detector is still learning. */
export function buildWarmupOutput(value: number, expected = value): DetectorOutput {
  return { score: 0, expected, lower: expected, upper: expected, isAnomaly: false, direction: null, deviation: 0 };
}

/**
 * Long-run spread of a series: by default the slow, unclipped exponentially
 * weighted mean of |x(t) - x(t-1)| (point-to-point change, so a growing
 * series' range does not count as noise), or of |x - mean| in `level` mode.
 * Models floor their scale at a small share of it, so a perfectly
 * predictable or flat stretch does not make every later wiggle an infinite
 * deviation, and clipping can still let a new regime in.
 */
export function createSpreadTracker(halfLifePoints = 1000, mode: 'level' | 'difference' = 'difference'): { update(value: number): void; spread(): number } {
  const alpha = 1 - Math.pow(0.5, 1 / halfLifePoints);
  let count = 0;
  let mean = 0;
  let previous = Number.NaN;
  let deviation = 0;
  return {
    update(value: number): void {
      if (mode === 'difference') {
        if (!Number.isNaN(previous)) {
          count += 1;
          deviation += Math.max(alpha, 1 / count) * (Math.abs(value - previous) - deviation);
        }
        previous = value;
        return;
      }
      count += 1;
      const rate = Math.max(alpha, 1 / count);
      deviation += rate * (Math.abs(value - mean) - deviation);
      mean += rate * (value - mean);
    },
    spread: () => deviation * 1.2533,
  };
}

/** Smallest scale a model may use: a share of the long-run spread, and never exactly zero. */
export function floorScale(scale: number, spread: number, share: number): number {
  return Math.max(scale, share * spread, 1e-9);
}

export interface ResidualScaleOptions {
  /** Weight of the newest residual once warm. */
  alpha: number;
  clipDeviation: number;
  /** Clip for the scale update (defaults to clipDeviation); larger lets routine bursts widen the scale. */
  scaleClipDeviation?: number;
  floorShare: number;
  /** Separate scales above and below the forecast (skewed metrics: bursts up, rare drops). */
  asymmetric: boolean;
}

/** Exponentially weighted residual scale of one model, see `createResidualScale`. */
export interface ResidualScale {
  band(): BandScale;
  /** One number for comparing models: the mean of both sides. */
  scale(): number;
  /** Feeds the raw value to the long-run spread behind the scale floor. */
  observeValue(value: number): void;
  /** Updates the scale with a residual; returns the residual clipped for the caller's level update. */
  update(residual: number, warm: boolean): number;
}

/**
 * Exponentially weighted scale of a model's residuals. The residual returned
 * for the level update is clipped to `clipDeviation` scales, so one spike
 * barely moves the forecast; the scale itself is clipped later
 * (`scaleClipDeviation`), so series whose normal life includes bursts keep a
 * scale wide enough for them while a new regime still gets in within a few
 * dozen points.
 */
export function createResidualScale(options: ResidualScaleOptions): ResidualScale {
  let upper = 0;
  let lower = 0;
  let count = 0;
  const spread = createSpreadTracker();
  const floor = (value: number): number => floorScale(value * 1.2533, spread.spread(), options.floorShare);
  const band = (): BandScale => ({ lower: floor(lower), upper: floor(upper) });
  return {
    band,
    scale: (): number => (floor(lower) + floor(upper)) / 2,
    observeValue: (value: number): void => spread.update(value),
    update(residual: number, warm: boolean): number {
      count += 1;
      const rate = warm ? options.alpha : 1 / count;
      const below = floor(lower);
      const above = floor(upper);
      const scaleClip = options.scaleClipDeviation ?? options.clipDeviation;
      const forScale = warm ? Math.max(-scaleClip * below, Math.min(scaleClip * above, residual)) : residual;
      if (options.asymmetric) {
        upper += rate * (2 * Math.max(forScale, 0) - upper);
        lower += rate * (2 * Math.max(-forScale, 0) - lower);
      } else {
        upper += rate * (Math.abs(forScale) - upper);
        lower = upper;
      }
      return warm ? Math.max(-options.clipDeviation * below, Math.min(options.clipDeviation * above, residual)) : residual;
    },
  };
}
