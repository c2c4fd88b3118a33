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
}

interface CandidateModels {
  streaming: ReturnType<typeof createStreamingDetector>;
  trending: ReturnType<typeof createStreamingDetector> | null;
  seasonal: SeasonalModel[];
}

const maximumMemoryMs = 84 * 86_400_000;

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
  return {
    streaming: createStreamingDetector({ ...shared, halfLifePoints: streamingHalfLife }),
    trending: trendHalfLife > 0 ? createStreamingDetector({ ...shared, halfLifePoints: streamingHalfLife, trendHalfLifePoints: trendHalfLife }) : null,
    seasonal: detectSeasonPeriods(stepMs).map((period) =>
      createSeasonalModel({ ...shared, period, seasons: options.seasons ?? 3, halfLifePoints: Math.min(options.seasonalHalfLifePoints ?? 200, cap) }),
    ),
  };
}

function observeCandidates(models: CandidateModels, point: DetectorPoint, preference: number): DetectorOutput {
  const streamingScale = models.streaming.scale();
  let best = { output: models.streaming.observe(point), scale: streamingScale * preference };
  if (models.trending) {
    const scale = models.trending.scale();
    const output = models.trending.observe(point);
    if (scale < best.scale) best = { output, scale };
  }
  for (const model of models.seasonal) {
    const scale = model.scale();
    const output = model.observe(point);
    if (scale < best.scale) best = { output, scale };
  }
  return best.output;
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
