import { createHeldResiduals } from './baseline-quarantine';
import { buildOutput, buildWarmupOutput, createResidualScale, type BaselineAction, type BaselineModel, type DetectorOutput, type DetectorPoint } from './detector-types';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/**
 * Season lengths (in points) worth trying for a sampling step: sub-daily data
 * gets a daily and a weekly season, daily data a weekly one, anything else none.
 */
export function detectSeasonPeriods(stepMs: number): number[] {
  if (!(stepMs > 0)) return [];
  if (stepMs <= 3 * hourMs) {
    const daily = Math.round(dayMs / stepMs);
    return Math.abs(daily * stepMs - dayMs) <= stepMs / 2 ? [daily, daily * 7] : [];
  }
  if (Math.abs(stepMs - dayMs) <= hourMs) return [7];
  return [];
}

/** Median of the first timestamp gaps: the sampling step. */
export function estimateStepMs(timestamps: readonly number[]): number {
  const gaps: number[] = [];
  for (let index = 1; index < timestamps.length; index += 1) gaps.push(timestamps[index]! - timestamps[index - 1]!);
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? 0;
}

export interface SeasonalModelOptions {
  /** Season length in points. */
  period: number;
  /** Past seasons whose same slot (and its two neighbours) form the baseline median. */
  seasons?: number;
  halfLifePoints?: number;
  alertDeviation?: number;
  clipDeviation?: number;
  /** Share of the long-run spread below which the residual scale never falls. */
  scaleFloorShare?: number;
  asymmetric?: boolean;
  /** Clip for the scale update; above `clipDeviation` so routine bursts widen the scale. */
  scaleClipDeviation?: number;
}

/** A seasonal model that also reports its residual scale, so a combiner can prefer the best-fitting one. */
export interface SeasonalModel extends BaselineModel {
  readonly period: number;
  isWarm(): boolean;
}

/** The last `seasons` seasons of a series (plus two points) and their per-slot robust baseline. */
interface SeasonalHistory {
  /** Median of the next slot and its two neighbours over the available seasons; null before a whole season. */
  baseline(): number | null;
  record(value: number): void;
  /** Moves every remembered value (a level change accepted as the new normal). */
  shift(amount: number): void;
}

function createSeasonalHistory(period: number, seasons: number): SeasonalHistory {
  const values = new Float64Array(period * seasons + 2);
  let count = 0;
  const at = (back: number): number => values[(count - back) % values.length]!;
  const slots = new Float64Array(seasons * 3);
  // Insertion sort into a reused buffer: at most 3 x seasons values, no allocation per point.
  const insert = (size: number, value: number): number => {
    let position = size;
    while (position > 0 && slots[position - 1]! > value) {
      slots[position] = slots[position - 1]!;
      position -= 1;
    }
    slots[position] = value;
    return size + 1;
  };
  return {
    baseline(): number | null {
      const available = Math.min(seasons, Math.floor(count / period));
      if (available < 1) return null;
      let size = 0;
      for (let season = 1; season <= available; season += 1) {
        const back = season * period;
        size = insert(size, at(back));
        if (back + 1 <= count) size = insert(size, at(back + 1));
        if (back - 1 >= 1) size = insert(size, at(back - 1));
      }
      const middle = size >> 1;
      return size % 2 === 1 ? slots[middle]! : (slots[middle - 1]! + slots[middle]!) / 2;
    },
    record(value: number): void {
      values[count % values.length] = value;
      count += 1;
    },
    shift(amount: number): void {
      for (let index = 0; index < values.length; index += 1) values[index] = values[index]! + amount;
    },
  };
}

/**
 * Per-slot robust baseline: the median of the same slot (and its neighbours)
 * in the last `seasons` seasons, plus an exponentially weighted level offset
 * (so trends and level shifts are followed), judged against an exponentially
 * weighted mean absolute residual. STL-like, but online and O(seasons) per point.
 */
export function createSeasonalModel(options: SeasonalModelOptions): SeasonalModel {
  const { period } = options;
  const seasons = options.seasons ?? 3;
  const alpha = 1 - Math.pow(0.5, 1 / (options.halfLifePoints ?? 200));
  const alertDeviation = options.alertDeviation ?? 5;
  const clipDeviation = options.clipDeviation ?? 5;
  const history = createSeasonalHistory(period, seasons);
  let offset = 0;
  let residualCount = 0;
  const warm = (): boolean => residualCount > Math.max(30, period / 4);
  const residualScale = createResidualScale({ alpha, clipDeviation, floorShare: options.scaleFloorShare ?? 0.05, asymmetric: options.asymmetric ?? false, scaleClipDeviation: options.scaleClipDeviation ?? 20 });
  const held = createHeldResiduals();
  let judged = { value: 0, expected: 0, base: null as number | null };
  const judge = (point: DetectorPoint): DetectorOutput => {
    residualScale.observeValue(point.value);
    const base = history.baseline();
    judged = { value: point.value, expected: base === null ? point.value : base + offset, base };
    if (base === null || !warm()) return buildWarmupOutput(point.value);
    return buildOutput({ value: point.value, expected: judged.expected, scale: residualScale.band(), alertDeviation });
  };
  const learn = (): void => {
    held.clear();
    if (judged.base !== null) {
      const isWarm = warm();
      residualCount += 1;
      const clipped = residualScale.update(judged.value - judged.expected, isWarm);
      offset += (isWarm ? alpha : 1 / residualCount) * clipped;
    }
    history.record(judged.value);
  };
  // A held point enters the history as the forecast, so next season's baseline does not learn it either;
  // accepting a shift moves the whole history (the seasonal shape is kept at the new level).
  const settle = (action: BaselineAction): void => {
    if (action === 'learn' || judged.base === null || !warm()) return learn();
    held.push(judged.value - judged.expected);
    history.record(judged.expected);
    if (action === 'accept') history.shift(held.takeMedian());
  };
  return {
    name: `seasonal-${period}`,
    period,
    scale: () => (warm() ? residualScale.scale() : Number.POSITIVE_INFINITY),
    isWarm: warm,
    judge,
    settle,
    observe(point: DetectorPoint): DetectorOutput {
      const output = judge(point);
      learn();
      return output;
    },
  };
}
