import { buildOutput, buildWarmupOutput, createResidualScale, type Detector, type DetectorOutput, type DetectorPoint } from './detector-types';

export interface StreamingDetectorOptions {
  /** Points for the baseline to halve the weight of old data. */
  halfLifePoints?: number;
  /** Deviation (in robust scale units) that scores 0.5. */
  alertDeviation?: number;
  /** Points observed before any score is given. */
  warmupPoints?: number;
  /** Residuals are clipped to this many scales before updating, so one spike barely moves the baseline. */
  clipDeviation?: number;
  /** Share of the long-run spread below which the scale never falls. */
  scaleFloorShare?: number;
  asymmetric?: boolean;
  /** Clip for the scale update; above `clipDeviation` so routine bursts widen the scale. */
  scaleClipDeviation?: number;
}

/**
 * The cheap streaming detector: an exponentially weighted mean and mean
 * absolute deviation (x 1.2533 ~ a standard deviation for normal data), with
 * outliers clipped before they update the baseline. O(1) time and memory per point.
 */
export function createStreamingDetector(options: StreamingDetectorOptions = {}): Detector & { scale(): number } {
  const alpha = 1 - Math.pow(0.5, 1 / (options.halfLifePoints ?? 48));
  const alertDeviation = options.alertDeviation ?? 5;
  const warmupPoints = options.warmupPoints ?? 30;
  const clipDeviation = options.clipDeviation ?? 3;
  let count = 0;
  let mean = 0;
  const residualScale = createResidualScale({ alpha, clipDeviation, floorShare: options.scaleFloorShare ?? 0.05, asymmetric: options.asymmetric ?? false, scaleClipDeviation: options.scaleClipDeviation ?? clipDeviation });
  const scale = (): number => residualScale.scale();
  return {
    name: 'streaming-ewma',
    scale,
    observe(point: DetectorPoint): DetectorOutput {
      const { value } = point;
      count += 1;
      residualScale.observeValue(value);
      if (count === 1) {
        mean = value;
        return buildWarmupOutput(value);
      }
      const warm = count > warmupPoints;
      const output = warm ? buildOutput({ value, expected: mean, scale: residualScale.band(), alertDeviation }) : buildWarmupOutput(value, mean);
      const clipped = residualScale.update(value - mean, warm);
      mean += (warm ? alpha : 1 / count) * clipped;
      return output;
    },
  };
}
