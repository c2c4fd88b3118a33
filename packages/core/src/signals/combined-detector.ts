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
  /** Clip for scale updates (default 20): mean updates are clipped at 5 scales, the scale only at 20. */
  scaleClipDeviation?: number;
  /** Points used to infer the sampling step (and so the seasons) before scoring starts. */
  stepSamplePoints?: number;
}

/**
 * The production detector: a streaming (non-seasonal) model and one seasonal
 * model per season the timestamps suggest (daily and weekly for sub-daily
 * data, weekly for daily data). Each point is judged by the model that has
 * been forecasting best (smallest residual scale), so a seasonal series is
 * not flagged at every peak and a non-seasonal one is not judged against a
 * noisy seasonal baseline.
 */
export function createCombinedDetector(options: CombinedDetectorOptions = {}): Detector {
  const alertDeviation = options.alertDeviation ?? 5;
  const preference = options.seasonalPreference ?? 0.8;
  const stepSamplePoints = options.stepSamplePoints ?? 10;
  const shared = { alertDeviation, clipDeviation: options.clipDeviation ?? 5, scaleFloorShare: options.scaleFloorShare ?? 0.05, asymmetric: options.asymmetric ?? false, scaleClipDeviation: options.scaleClipDeviation ?? 20 };
  const streaming = createStreamingDetector({ ...shared, halfLifePoints: options.streamingHalfLifePoints ?? 200 });
  let seasonal: SeasonalModel[] | null = null;
  const pending: DetectorPoint[] = [];
  const startSeasonalModels = (): void => {
    const periods = detectSeasonPeriods(estimateStepMs(pending.map((point) => point.ts)));
    seasonal = periods.map((period) =>
      createSeasonalModel({ ...shared, period, seasons: options.seasons ?? 3, halfLifePoints: options.seasonalHalfLifePoints ?? 200 }),
    );
    for (const point of pending) for (const model of seasonal) model.observe(point);
    pending.length = 0;
  };
  return {
    name: 'combined',
    observe(point: DetectorPoint): DetectorOutput {
      const streamingScale = streaming.scale();
      const streamingOutput = streaming.observe(point);
      if (seasonal === null) {
        pending.push(point);
        if (pending.length >= stepSamplePoints) startSeasonalModels();
        return buildWarmupOutput(point.value, streamingOutput.expected);
      }
      let best: { output: DetectorOutput; scale: number } = { output: streamingOutput, scale: streamingScale * preference };
      for (const model of seasonal) {
        const scale = model.scale();
        const output = model.observe(point);
        if (scale < best.scale) best = { output, scale };
      }
      return best.output;
    },
  };
}
