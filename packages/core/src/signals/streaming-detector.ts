import { createHeldResiduals } from './baseline-quarantine';
import { buildOutput, buildWarmupOutput, createResidualScale, type BaselineAction, type BaselineModel, type DetectorOutput, type DetectorPoint } from './detector-types';

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
  /** When set, a Holt linear trend is followed too, updated with this half-life (steadily growing metrics such as MRR). */
  trendHalfLifePoints?: number;
}

/**
 * The cheap streaming detector: an exponentially weighted level (optionally
 * with a Holt trend) and mean absolute residual (x 1.2533 ~ a standard
 * deviation for normal data), with outliers clipped before they update the
 * forecast. O(1) time and memory per point. Held points (an anomalous episode
 * in quarantine) move neither level nor scale; the level still follows the
 * trend's forecast, and on acceptance it moves by the held residuals' median.
 */
export function createStreamingDetector(options: StreamingDetectorOptions = {}): BaselineModel {
  const alpha = 1 - Math.pow(0.5, 1 / (options.halfLifePoints ?? 200));
  const beta = options.trendHalfLifePoints ? 1 - Math.pow(0.5, 1 / options.trendHalfLifePoints) : 0;
  const alertDeviation = options.alertDeviation ?? 5;
  const warmupPoints = options.warmupPoints ?? 30;
  const clipDeviation = options.clipDeviation ?? 5;
  let count = 0;
  let mean = 0;
  let trend = 0;
  let judged = { value: 0, expected: 0 };
  const held = createHeldResiduals();
  const residualScale = createResidualScale({
    alpha, clipDeviation, floorShare: options.scaleFloorShare ?? 0.05, asymmetric: options.asymmetric ?? false, scaleClipDeviation: options.scaleClipDeviation ?? 20,
  });
  const judge = (point: DetectorPoint): DetectorOutput => {
    const { value } = point;
    count += 1;
    residualScale.observeValue(value);
    judged = { value, expected: mean + trend };
    if (count === 1) return buildWarmupOutput(value);
    return count > warmupPoints ? buildOutput({ value, expected: judged.expected, scale: residualScale.band(), alertDeviation }) : buildWarmupOutput(value, judged.expected);
  };
  const learn = (): void => {
    held.clear();
    if (count === 1) {
      mean = judged.value;
      return;
    }
    const warm = count > warmupPoints;
    const clipped = residualScale.update(judged.value - judged.expected, warm);
    const nextMean = judged.expected + (warm ? alpha : 1 / count) * clipped;
    trend += beta * (nextMean - mean - trend);
    mean = nextMean;
  };
  const settle = (action: BaselineAction): void => {
    if (action === 'learn' || count <= warmupPoints) return learn();
    held.push(judged.value - judged.expected);
    mean = judged.expected;
    if (action === 'accept') mean += held.takeMedian();
  };
  return {
    name: beta > 0 ? 'streaming-holt' : 'streaming-ewma',
    scale: () => residualScale.scale(),
    judge,
    settle,
    observe(point: DetectorPoint): DetectorOutput {
      const output = judge(point);
      learn();
      return output;
    },
  };
}
