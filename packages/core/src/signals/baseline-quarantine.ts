import type { BaselineAction, DetectorOutput } from './detector-types';

export interface BaselineQuarantineOptions {
  /** Anomalous points in a row (same side) learned as before, so one- or two-point bursts still widen the scale of a bursty series. */
  onsetPoints: number;
  /**
   * Normal points needed since the last run of `onsetPoints` anomalies before a new one is
   * quarantined: only a settled series has a baseline worth keeping (one that has not learned
   * its own pattern yet must go on learning). Single blips neither count nor reset.
   */
  calmPoints: number;
  /** Points (from the episode's first anomalous point) after which a still anomalous level is accepted as the new normal. */
  horizonPoints: number;
  /** Normal points in a row that end an episode (shorter gaps inside it are held too). */
  quietPoints: number;
  /**
   * Largest mean signed deviation (scale units, towards the episode's side) of the points just
   * before the onset: a level shift arrives from a baseline that fitted, a trend that outgrew the
   * baseline arrives from a run of residuals on its side, and is learned as before.
   */
  abruptDeviation: number;
}

// Half-life of 6 points for the drift before an onset: long enough to average the noise, short enough to forget
// a trend the baseline caught up with long ago.
const DRIFT_RATE = 1 - Math.pow(0.5, 1 / 6);

/** Decides, point by point, whether the models may learn; see `createBaselineQuarantine`. */
export interface BaselineQuarantine {
  decide(output: Pick<DetectorOutput, 'isAnomaly' | 'direction' | 'deviation'>): BaselineAction;
}

/**
 * Quarantine of the baseline during an anomalous episode. Without it every
 * model learns from every point (clipped), and a sustained level shift is
 * absorbed within ~40 points: the level creeps towards it and, above all, the
 * residual scale grows ~6% a point, so the band widens until the shift looks
 * normal while it is still there. With it, once `onsetPoints` anomalous points
 * on one side came in a row, abruptly (`abruptDeviation`: not a trend that
 * outgrew the baseline) and after `calmPoints` normal ones, the models stop
 * learning (the seasonal history records the forecast instead of the point) until `quietPoints` normal points in a row end the episode, or an
 * anomaly on the other side shows it is not a level shift (a pattern the models
 * have not learned yet, which they must learn), or the episode reaches
 * `horizonPoints`: then the shift is accepted as the new normal and the models
 * re-anchor on it (reported once as `levelShiftAccepted`). O(1) per point.
 */
export function createBaselineQuarantine(options: BaselineQuarantineOptions): BaselineQuarantine {
  // Normal points since the last run of `onsetPoints` anomalies (shorter blips neither add nor reset).
  let calm = 0;
  let streak = 0;
  let side: DetectorOutput['direction'] = null;
  let length = 0;
  let quiet = 0;
  // Short exponentially weighted mean of the signed deviation, and its value when the current streak began.
  let drift = 0;
  let driftBeforeStreak = 0;
  const end = (action: BaselineAction): BaselineAction => {
    length = 0;
    quiet = 0;
    return action;
  };
  const startsEpisode = (direction: DetectorOutput['direction'], driftBefore: number): boolean => {
    if (streak === 0 || direction !== side) driftBeforeStreak = driftBefore;
    streak = streak > 0 && direction === side ? streak + 1 : 1;
    side = direction;
    if (streak !== options.onsetPoints) return false;
    const wasCalm = calm >= options.calmPoints;
    calm = 0;
    return wasCalm && (direction === 'down' ? -driftBeforeStreak : driftBeforeStreak) < options.abruptDeviation;
  };
  return {
    decide(output): BaselineAction {
      const before = drift;
      const signed = output.direction === 'down' ? -output.deviation : output.direction === 'up' ? output.deviation : 0;
      drift += DRIFT_RATE * ((Number.isFinite(signed) ? signed : 0) - drift);
      if (!output.isAnomaly) {
        streak = 0;
        calm += 1;
        if (length === 0) return 'learn';
        quiet += 1;
        length += 1;
        return quiet >= options.quietPoints ? end('learn') : 'hold';
      }
      const episodeSide = side;
      const isOnset = startsEpisode(output.direction, before);
      if (length === 0 && !isOnset) return 'learn';
      if (length > 0 && output.direction !== episodeSide) return end('learn');
      quiet = 0;
      length = length === 0 ? streak : length + 1;
      if (length < options.horizonPoints) return 'hold';
      // The re-anchored baseline counts as settled: a later move (back) is quarantined and accepted the same way,
      // so every model's history is shifted back too instead of a slow model remembering the accepted level for weeks.
      streak = 0;
      calm = options.calmPoints;
      return end('accept');
    },
  };
}

/** The residuals of the last held points; their median is the shift a model re-anchors by. */
export interface HeldResiduals {
  push(residual: number): void;
  /** Median of the remembered residuals (0 when none), then forgets them. */
  takeMedian(): number;
  clear(): void;
}

/** A ring of the last `size` held residuals (the level a long episode settled on, robust to its spikes). */
export function createHeldResiduals(size = 24): HeldResiduals {
  const ring = new Float64Array(size);
  let count = 0;
  return {
    push(residual: number): void {
      ring[count % size] = residual;
      count += 1;
    },
    takeMedian(): number {
      const values = Array.from(ring.subarray(0, Math.min(count, size))).sort((a, b) => a - b);
      count = 0;
      if (values.length === 0) return 0;
      const middle = values.length >> 1;
      return values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
    },
    clear(): void {
      count = 0;
    },
  };
}
