import { createBaselineQuarantine, type BaselineQuarantine } from './baseline-quarantine';
import { buildWarmupOutput, type Detector, type DetectorOutput, type DetectorPoint } from './detector-types';
import { createSeasonalModel, detectSeasonPeriods, estimateStepMs, type SeasonalModel } from './seasonal-detector';
import { createStreamingDetector } from './streaming-detector';

export interface CombinedDetectorOptions {
  alertDeviation?: number;
  /** A seasonal model is used only when its residual scale is below this share of the non-seasonal scale. */
  seasonalPreference?: number;
  streamingHalfLifePoints?: number;
  seasonalHalfLifePoints?: number;
  seasons?: number;
  clipDeviation?: number;
  scaleFloorShare?: number;
  asymmetric?: boolean;
  /** Half-life of the trend of an extra Holt candidate model; 0 (default) leaves it out: it did not help on NAB. */
  trendHalfLifePoints?: number;
  /** Clip for scale updates (default 20): mean updates are clipped at 5 scales, the scale only at 20. */
  scaleClipDeviation?: number;
  /** Points used to infer the sampling step (and so the seasons) before scoring starts. */
  stepSamplePoints?: number;
  /**
   * Quarantine the baseline during anomalous episodes (default false here, true in the production
   * detector): the models stop
   * learning once an anomaly lasts `quarantineOnsetPoints`, so a sustained shift stays
   * anomalous until the metric returns, or until `newNormalAfterMs` accepts it. See `createBaselineQuarantine`.
   */
  quarantineAnomalies?: boolean;
  /** Anomalous points in a row learned as before a quarantine starts (default 3). */
  quarantineOnsetPoints?: number;
  /** Normal points since the last anomalous run needed before a quarantine can start (default 200). */
  quarantineCalmPoints?: number;
  /** Normal points in a row that end a quarantined episode (default 3). */
  quarantineQuietPoints?: number;
  /** How long an anomalous level stays anomalous before it is accepted as the new normal (default 24 hours)... */
  newNormalAfterMs?: number;
  /** ...but never fewer points than this (default 14: two weeks of a daily metric, not one day). */
  newNormalMinimumPoints?: number;
}

interface CandidateModels {
  streaming: ReturnType<typeof createStreamingDetector>;
  trending: ReturnType<typeof createStreamingDetector> | null;
  seasonal: SeasonalModel[];
  quarantine: BaselineQuarantine | null;
}

const dayMs = 86_400_000;
const maximumMemoryMs = 84 * dayMs;

/**
 * Builds the candidate models once the sampling step is known. Half-lives are
 * in points (tuned on five-minute data) but never longer than twelve weeks of
 * data, so a daily series adapts within weeks rather than within a year.
 */
function createCandidateModels(options: CombinedDetectorOptions, stepMs: number): CandidateModels {
  const alertDeviation = options.alertDeviation ?? 5;
  const shared = {
    alertDeviation, clipDeviation: options.clipDeviation ?? 5, scaleFloorShare: options.scaleFloorShare ?? 0.05,
    asymmetric: options.asymmetric ?? false, scaleClipDeviation: options.scaleClipDeviation ?? 20,
  };
  const cap = stepMs > 0 ? Math.max(7, Math.round(maximumMemoryMs / stepMs)) : Number.POSITIVE_INFINITY;
  const streamingHalfLife = Math.min(options.streamingHalfLifePoints ?? 200, cap);
  const trendHalfLife = Math.min(options.trendHalfLifePoints ?? 0, cap);
  const quarantine = options.quarantineAnomalies
    ? createBaselineQuarantine({
      onsetPoints: options.quarantineOnsetPoints ?? 3,
      quietPoints: options.quarantineQuietPoints ?? 3,
      calmPoints: options.quarantineCalmPoints ?? 200,
      abruptDeviation: 0.3 * (options.alertDeviation ?? 5),
      horizonPoints: Math.max(options.newNormalMinimumPoints ?? 14, Math.round((options.newNormalAfterMs ?? dayMs) / (stepMs > 0 ? stepMs : dayMs))),
    })
    : null;
  return {
    quarantine,
    streaming: createStreamingDetector({ ...shared, halfLifePoints: streamingHalfLife }),
    trending: trendHalfLife > 0 ? createStreamingDetector({ ...shared, halfLifePoints: streamingHalfLife, trendHalfLifePoints: trendHalfLife }) : null,
    seasonal: detectSeasonPeriods(stepMs).map((period) =>
      createSeasonalModel({ ...shared, period, seasons: options.seasons ?? 3, halfLifePoints: Math.min(options.seasonalHalfLifePoints ?? 200, cap) }),
    ),
  };
}

function observeCandidates(models: CandidateModels, point: DetectorPoint, preference: number): DetectorOutput {
  const streamingScale = models.streaming.scale();
  let best = { output: models.streaming.judge(point), scale: streamingScale * preference };
  if (models.trending) {
    const scale = models.trending.scale();
    const output = models.trending.judge(point);
    if (scale < best.scale) best = { output, scale };
  }
  for (const model of models.seasonal) {
    const scale = model.scale();
    const output = model.judge(point);
    if (scale < best.scale) best = { output, scale };
  }
  // Every model learns (or holds) on the verdict of the model that judged the point.
  const action = models.quarantine?.decide(best.output) ?? 'learn';
  models.streaming.settle(action);
  models.trending?.settle(action);
  for (const model of models.seasonal) model.settle(action);
  if (action === 'learn') return best.output;
  return action === 'accept' ? { ...best.output, levelShiftAccepted: true } : { ...best.output, baselineHeld: true };
}

/**
 * The production detector's models: a streaming level (optionally a second
 * one with a Holt trend) and one seasonal model per season the timestamps
 * suggest (daily and weekly for sub-daily data, weekly for daily data). Each
 * point is judged by the model that has been forecasting best (smallest
 * residual scale; the others must beat the plain level by 20%), so a
 * seasonal series is not flagged at every peak and a plain one is not judged
 * against a noisy seasonal baseline.
 */
export function createCombinedDetector(options: CombinedDetectorOptions = {}): Detector {
  const preference = options.seasonalPreference ?? 0.8;
  const stepSamplePoints = options.stepSamplePoints ?? 10;
  let models: CandidateModels | null = null;
  const pending: DetectorPoint[] = [];
  return {
    name: 'combined',
    observe(point: DetectorPoint): DetectorOutput {
      if (models) return observeCandidates(models, point, preference);
      pending.push(point);
      if (pending.length >= stepSamplePoints) {
        const ready = createCandidateModels(options, estimateStepMs(pending.map((entry) => entry.ts)));
        for (const entry of pending) observeCandidates(ready, entry, preference);
        pending.length = 0;
        models = ready;
      }
      return buildWarmupOutput(point.value, pending[0]?.value ?? point.value);
    },
  };
}
