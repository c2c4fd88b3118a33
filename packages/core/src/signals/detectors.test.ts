import { describe, expect, it } from 'vitest';
import { createAlertHold, classifySeverity } from './alert-hold';
import { createCombinedDetector } from './combined-detector';
import { detectAnomalies } from './detect-anomalies';
import type { Detector, DetectorPoint } from './detector-types';
import { createProductionDetector } from './production-detector';
import { createSeasonalModel, detectSeasonPeriods } from './seasonal-detector';
import { createStreamingDetector } from './streaming-detector';

const fiveMinutes = 300_000;
const day = 86_400_000;

/** Deterministic noise in [-1, 1). */
function makeNoise(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2147483648) / 1073741824) - 1;
}

/** Five-minute data with a strong daily cycle and a little noise. */
function makeDailySeries(days: number): DetectorPoint[] {
  const noise = makeNoise(3);
  return Array.from({ length: days * 288 }, (_, index) => ({
    ts: Date.UTC(2026, 0, 1) + index * fiveMinutes,
    value: 100 + 50 * Math.sin((2 * Math.PI * index) / 288) + 2 * noise(),
  }));
}

const run = (detector: Detector, points: readonly DetectorPoint[]) => points.map((point) => detector.observe(point));

describe('detectors', () => {
  it('infers seasons from the sampling step', () => {
    expect(detectSeasonPeriods(fiveMinutes)).toEqual([288, 2016]);
    expect(detectSeasonPeriods(day)).toEqual([7]);
    expect(detectSeasonPeriods(7 * day)).toEqual([]);
  });

  it('streaming detector flags a spike on flat noisy data, with a band around the baseline', () => {
    const noise = makeNoise(1);
    const points = Array.from({ length: 500 }, (_, index) => ({ ts: index * 60_000, value: 10 + noise() }));
    points[400]!.value = 30;
    const outputs = run(createStreamingDetector(), points);
    expect(outputs[400]!.isAnomaly).toBe(true);
    expect(outputs[400]!.direction).toBe('up');
    expect(outputs[400]!.lower).toBeLessThan(10);
    expect(outputs[400]!.upper).toBeGreaterThan(10);
    expect(outputs.slice(50, 400).filter((output) => output.isAnomaly)).toHaveLength(0);
    for (const output of outputs) expect(output.score).toBeGreaterThanOrEqual(0);
    for (const output of outputs) expect(output.score).toBeLessThanOrEqual(1);
  });

  it('seasonal model does not flag daily peaks but flags a dip at a peak slot', () => {
    const points = makeDailySeries(6);
    const dipIndex = 5 * 288 + 72; // the daily peak slot on day 6
    points[dipIndex]!.value -= 40;
    const outputs = run(createSeasonalModel({ period: 288 }), points);
    expect(outputs[dipIndex]!.isAnomaly).toBe(true);
    expect(outputs[dipIndex]!.direction).toBe('down');
    expect(outputs.slice(3 * 288, dipIndex).filter((output) => output.isAnomaly)).toHaveLength(0);
  });

  it('the combined detector prefers the seasonal model on seasonal data', () => {
    const points = makeDailySeries(6);
    const dipIndex = 5 * 288 + 72;
    points[dipIndex]!.value -= 40; // 40 below a peak of ~150 is still inside the non-seasonal range
    const outputs = run(createCombinedDetector(), points);
    expect(outputs[dipIndex]!.isAnomaly).toBe(true);
    expect(outputs.slice(3 * 288, dipIndex).filter((output) => output.isAnomaly).length).toBeLessThanOrEqual(2);
  });

  it('daily growing metric: a drop is caught, growth and weekly rhythm are not anomalies', () => {
    const noise = makeNoise(4);
    const points = Array.from({ length: 365 }, (_, dayIndex) => ({
      ts: Date.UTC(2026, 0, 1) + dayIndex * day,
      value: 100_000 + 500 * dayIndex + (dayIndex % 7 >= 5 ? -3000 : 0) + 200 * noise() - (dayIndex >= 300 ? 4000 : 0),
    }));
    const outputs = run(createCombinedDetector(), points);
    expect(outputs.slice(60, 300).filter((output) => output.isAnomaly)).toHaveLength(0);
    expect(outputs[300]).toMatchObject({ isAnomaly: true, direction: 'down' });
    expect(Math.abs(outputs[299]!.expected - points[299]!.value)).toBeLessThan(1000);
  });

  it('is online: a point’s score does not depend on later points', () => {
    const points = makeDailySeries(3);
    const full = run(createProductionDetector(), points).map((output) => output.score);
    const prefix = run(createProductionDetector(), points.slice(0, 500)).map((output) => output.score);
    expect(full.slice(0, 500)).toEqual(prefix);
  });

  it('episodes: a sustained shift scores at its onset, not at every point', () => {
    const noise = makeNoise(5);
    const points = Array.from({ length: 800 }, (_, index) => ({ ts: index * 60_000, value: (index >= 600 ? 50 : 10) + noise() }));
    const outputs = run(createProductionDetector(), points);
    expect(outputs[600]!.score).toBeGreaterThan(0.5);
    expect(outputs.slice(601, 700).filter((output) => output.score >= 0.5).length).toBeLessThanOrEqual(3);
    expect(outputs[601]!.isAnomaly).toBe(true);
  });
});

describe('severity and the for / keep_firing_for hold', () => {
  it('maps scores to severities', () => {
    expect(classifySeverity({ isAnomaly: false, score: 0.9 })).toBeNull();
    expect(classifySeverity({ isAnomaly: true, score: 0.5 })).toBe('info');
    expect(classifySeverity({ isAnomaly: true, score: 0.8 })).toBe('warning');
    expect(classifySeverity({ isAnomaly: true, score: 0.9 })).toBe('critical');
  });

  it('fires only after `for` points and keeps firing through short gaps', () => {
    const hold = createAlertHold({ forPoints: 3, keepFiringForPoints: 2 });
    const anomalous = { isAnomaly: true, score: 0.6 };
    const normal = { isAnomaly: false, score: 0.1 };
    const pattern = [anomalous, anomalous, normal, anomalous, anomalous, anomalous, normal, normal, anomalous, normal, normal, normal];
    const steps = pattern.map((output) => hold.observe(output));
    expect(steps.map((step) => step.state)).toEqual([
      'pending', 'pending', 'inactive', 'pending', 'pending', 'firing', 'firing', 'firing', 'firing', 'firing', 'firing', 'inactive',
    ]);
    expect(steps.filter((step) => step.transition === 'fired')).toHaveLength(1);
    expect(steps[11]!.transition).toBe('resolved');
  });

  it('detectAnomalies turns a flapping metric into one anomaly record', () => {
    const noise = makeNoise(9);
    const points = Array.from({ length: 600 }, (_, index) => ({ ts: index * 60_000, value: 10 + noise() }));
    for (const index of [400, 402, 404, 406, 408]) points[index]!.value = 40; // flapping
    const records = detectAnomalies(points, { metric: 'error_rate', createDetector: () => createCombinedDetector(), forPoints: 1, keepFiringForPoints: 3 });
    expect(records).toHaveLength(1);
    expect(records[0]!).toMatchObject({ metric: 'error_rate', windowStart: points[400]!.ts, windowEnd: points[408]!.ts, direction: 'up', actual: 40 });
    const strict = detectAnomalies(points, { metric: 'error_rate', createDetector: () => createCombinedDetector(), forPoints: 2 });
    expect(strict).toHaveLength(0); // never two anomalous points in a row
  });
});
