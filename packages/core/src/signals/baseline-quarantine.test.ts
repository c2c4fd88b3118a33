import { describe, expect, it } from 'vitest';
import { createBaselineQuarantine } from './baseline-quarantine';
import { detectAnomalies } from './detect-anomalies';
import type { DetectorOutput, DetectorPoint } from './detector-types';
import { createProductionDetector, type ProductionDetectorOptions } from './production-detector';

const fiveMinutes = 300_000;
const hour = 3_600_000;
const day = 86_400_000;

/** Deterministic noise in [-1, 1). */
function makeNoise(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2147483648) / 1073741824) - 1;
}

interface LatencySeries {
  stepMs: number;
  days: number;
  /** Index of the first point of the regression. */
  shiftStart: number;
  shiftPoints: number;
  /** Added to every point from `trendStart` on, per day. */
  trendPerDay?: number;
  trendStart?: number;
}

/** p95 latency around 120 ms with a daily cycle and noise; a regression adds 310 ms (430 ms) for `shiftPoints` points. */
function makeLatencySeries(options: LatencySeries): DetectorPoint[] {
  const noise = makeNoise(7);
  const perDay = day / options.stepMs;
  return Array.from({ length: options.days * perDay }, (_, index) => {
    const regression = index >= options.shiftStart && index < options.shiftStart + options.shiftPoints ? 310 : 0;
    const trend = options.trendPerDay && index >= (options.trendStart ?? 0) ? (options.trendPerDay * (index - (options.trendStart ?? 0))) / perDay : 0;
    return { ts: Date.UTC(2026, 0, 1) + index * options.stepMs, value: 120 + 10 * Math.sin((2 * Math.PI * index) / perDay) + 8 * noise() + regression + trend };
  });
}

const run = (points: readonly DetectorPoint[], options: ProductionDetectorOptions = {}): DetectorOutput[] => {
  const detector = createProductionDetector(options);
  return points.map((point) => detector.observe(point));
};

const anomalousIndexes = (outputs: readonly DetectorOutput[], from: number, to: number): number[] =>
  outputs.slice(from, to).flatMap((output, offset) => (output.isAnomaly ? [from + offset] : []));

function longestAnomalousRun(outputs: readonly DetectorOutput[]): number {
  let longest = 0;
  let current = 0;
  for (const output of outputs) {
    current = output.isAnomaly ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}

describe('a sustained regression stays an anomaly while it lasts', () => {
  it('5-minute p95 latency at 430 ms for 5 hours: all 60 points are anomalous, one alert spans them, it ends when latency returns', () => {
    const shiftStart = 10 * 288;
    const points = makeLatencySeries({ stepMs: fiveMinutes, days: 14, shiftStart, shiftPoints: 60 });
    const outputs = run(points);
    expect(anomalousIndexes(outputs, shiftStart, shiftStart + 60)).toHaveLength(60); // the old detector stopped after ~43 (3.6 hours)
    expect(anomalousIndexes(outputs, shiftStart + 60, points.length)).toEqual([]); // back to normal once latency is back
    expect(anomalousIndexes(outputs, 7 * 288, shiftStart)).toEqual([]);
    // It pages once, at its onset, not at every new maximum of the plateau.
    expect(outputs.slice(shiftStart, shiftStart + 60).filter((output) => output.score >= 0.5).length).toBeLessThanOrEqual(2);
    const records = detectAnomalies(points, { metric: 'latency_p95', forPoints: 2, keepFiringForPoints: 6, createDetector: () => createProductionDetector() });
    expect(records.map((record) => [record.windowStart, record.windowEnd])).toEqual([[points[shiftStart]!.ts, points[shiftStart + 59]!.ts]]);
  });

  it('hourly: 5-hour and 60-hour regressions (3-day "new normal" horizon) are anomalous at every hour, and end when the level returns', () => {
    const shiftStart = 30 * 24;
    for (const hours of [5, 60]) {
      const points = makeLatencySeries({ stepMs: hour, days: 40, shiftStart, shiftPoints: hours });
      const outputs = run(points, { newNormalAfterMs: 3 * day });
      expect(anomalousIndexes(outputs, shiftStart, shiftStart + hours), `${hours} hours`).toHaveLength(hours); // the old detector stopped after ~41 hours
      expect(anomalousIndexes(outputs, shiftStart + hours, points.length), `${hours} hours`).toEqual([]);
      expect(outputs.some((output) => output.levelShiftAccepted)).toBe(false);
    }
  });

  it('hourly: a 30-hour regression is anomalous for 5 hours and more, and with the default 24-hour horizon it is then accepted as the new normal', () => {
    const shiftStart = 30 * 24;
    const points = makeLatencySeries({ stepMs: hour, days: 40, shiftStart, shiftPoints: 30 });
    const outputs = run(points);
    expect(anomalousIndexes(outputs, shiftStart, shiftStart + 24)).toHaveLength(24);
    const accepted = outputs.flatMap((output, index) => (output.levelShiftAccepted ? [index] : []));
    expect(accepted[0]).toBe(shiftStart + 23);
    // Re-anchored: the rest of the regression is judged against 430 ms, and is normal.
    expect(anomalousIndexes(outputs, shiftStart + 24, shiftStart + 30)).toEqual([]);
    expect(outputs[shiftStart + 29]!.expected).toBeGreaterThan(400);
    // Latency going back to 120 ms is a level change down from the accepted level (not a page: it is good news).
    expect(outputs[shiftStart + 30]).toMatchObject({ isAnomaly: true, direction: 'down' });
  });

  it('5-minute: a 30-hour regression is anomalous for its first 24 hours, then accepted', () => {
    const shiftStart = 10 * 288;
    const points = makeLatencySeries({ stepMs: fiveMinutes, days: 14, shiftStart, shiftPoints: 360 });
    const outputs = run(points);
    expect(anomalousIndexes(outputs, shiftStart, shiftStart + 288)).toHaveLength(288);
    expect(outputs.findIndex((output) => output.levelShiftAccepted)).toBe(shiftStart + 287);
    expect(anomalousIndexes(outputs, shiftStart + 288, shiftStart + 360)).toEqual([]);
  });

  it('quarantineAnomalies: false keeps the old behaviour: the baseline absorbs the plateau within a few hours', () => {
    const shiftStart = 10 * 288;
    const points = makeLatencySeries({ stepMs: fiveMinutes, days: 14, shiftStart, shiftPoints: 60 });
    const outputs = run(points, { quarantineAnomalies: false });
    expect(anomalousIndexes(outputs, shiftStart, shiftStart + 60).length).toBeLessThan(50);
  });

  it('a gradual trend is learned as before, not turned into a never-ending anomaly', () => {
    for (const [stepMs, trendPerDay] of [[hour, 20], [hour, 50], [fiveMinutes, 200], [fiveMinutes, 400]] as const) {
      const perDay = day / stepMs;
      const points = makeLatencySeries({ stepMs, days: 40, shiftStart: -1, shiftPoints: 0, trendPerDay, trendStart: 20 * perDay });
      const outputs = run(points);
      const before = run(points, { quarantineAnomalies: false });
      const label = `${stepMs / 60_000}-minute points, +${trendPerDay} ms a day`;
      expect(outputs.some((output) => output.levelShiftAccepted), label).toBe(false);
      expect(anomalousIndexes(outputs, 0, points.length).length, label).toBeLessThanOrEqual(anomalousIndexes(before, 0, points.length).length);
      expect(longestAnomalousRun(outputs), label).toBeLessThanOrEqual(longestAnomalousRun(before));
      expect(longestAnomalousRun(outputs), label).toBeLessThan(perDay);
    }
  });
});

describe('createBaselineQuarantine', () => {
  const options = { onsetPoints: 3, calmPoints: 5, horizonPoints: 8, quietPoints: 2, abruptDeviation: 1.5 };
  const normal = { isAnomaly: false, direction: 'up', deviation: 0.5 } as const;
  const up = { isAnomaly: true, direction: 'up', deviation: 9 } as const;
  const down = { isAnomaly: true, direction: 'down', deviation: 9 } as const;

  it('learns the onset, holds the episode, ends it after quiet points', () => {
    const quarantine = createBaselineQuarantine(options);
    const steps = [...Array<typeof normal>(5).fill(normal), up, up, up, up, normal, up, normal, normal, normal].map((output) => quarantine.decide(output));
    expect(steps).toEqual(['learn', 'learn', 'learn', 'learn', 'learn', 'learn', 'learn', 'hold', 'hold', 'hold', 'hold', 'hold', 'learn', 'learn']);
  });

  it('accepts an episode at the horizon, and needs a calm series to start one', () => {
    const quarantine = createBaselineQuarantine(options);
    const steps = [...Array<typeof normal>(5).fill(normal), ...Array<typeof up>(9).fill(up)].map((output) => quarantine.decide(output));
    expect(steps.slice(5)).toEqual(['learn', 'learn', 'hold', 'hold', 'hold', 'hold', 'hold', 'accept', 'learn']);
    const restless = createBaselineQuarantine(options);
    expect([normal, normal, up, up, up, up].map((output) => restless.decide(output))).toEqual(Array(6).fill('learn'));
  });

  it('an anomaly on the other side ends the episode (a pattern to learn, not a level shift)', () => {
    const quarantine = createBaselineQuarantine(options);
    const steps = [...Array<typeof normal>(5).fill(normal), up, up, up, down, down].map((output) => quarantine.decide(output));
    expect(steps.slice(5)).toEqual(['learn', 'learn', 'hold', 'learn', 'learn']);
  });

  it('does not quarantine a run that residuals on its side led up to (a trend outgrowing the baseline)', () => {
    const quarantine = createBaselineQuarantine(options);
    const drifting = { isAnomaly: false, direction: 'up', deviation: 4 } as const;
    const steps = [...Array<typeof normal>(5).fill(normal), ...Array<typeof drifting>(6).fill(drifting), up, up, up, up].map((output) => quarantine.decide(output));
    expect(steps.slice(11)).toEqual(['learn', 'learn', 'learn', 'learn']);
  });
});
