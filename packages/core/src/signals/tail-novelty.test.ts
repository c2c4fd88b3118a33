import { describe, expect, it } from 'vitest';
import type { DetectorPoint } from './detector-types';
import { createProductionDetector } from './production-detector';

/** Deterministic noise in [-1, 1). */
function makeNoise(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2147483648) / 1073741824) - 1;
}

/** One-minute points around 10 with a routine spike to 30 every 100 points. */
function makeSpikySeries(count: number): DetectorPoint[] {
  const noise = makeNoise(7);
  return Array.from({ length: count }, (_, index) => ({ ts: index * 60_000, value: 10 + noise() + (index % 100 === 50 ? 20 : 0) }));
}

const scores = (points: readonly DetectorPoint[], options = {}) => {
  const detector = createProductionDetector(options);
  return points.map((point) => detector.observe(point));
};

describe('tail novelty and spike density', () => {
  it('a spike as large as the routine ones is not news once the series has shown several, a larger one is', () => {
    const points = makeSpikySeries(1500);
    points[1250]!.value = 80; // far above the routine spikes
    const outputs = scores(points);
    const routine = [950, 1050, 1150, 1350, 1450].map((index) => outputs[index]!);
    for (const output of routine) {
      expect(output.isAnomaly).toBe(true); // the band still calls it unusual for the core model...
      expect(output.score).toBeLessThan(0.6); // ...but its score is capped near the alert level (0.5)
    }
    expect(outputs[1250]!.score).toBeGreaterThan(0.75);
    const plain = scores(points, { tailRank: 0, densityPoints: 0 });
    // Without the tail cap routine spikes keep paging (the episode rule alone only mutes repeats within 150 points).
    expect(Math.max(...[950, 1050, 1150, 1350, 1450].map((index) => plain[index]!.score))).toBeGreaterThan(0.9);
  });

  it('routine spikes up do not make a drop of the same size routine', () => {
    const points = makeSpikySeries(1500);
    points[1250]!.value = -10; // as far below the level as the routine spikes are above it
    const outputs = scores(points);
    expect(outputs[1250]).toMatchObject({ direction: 'down', isAnomaly: true });
    expect(outputs[1250]!.score).toBeGreaterThan(0.75);
    expect(outputs[1150]!.score).toBeLessThan(0.6);
  });

  it('routine-sized spikes arriving faster than ever before score', () => {
    const points = makeSpikySeries(1500);
    for (const index of [1205, 1212, 1219, 1226]) points[index]!.value = 30;
    const outputs = scores(points);
    expect(Math.max(...outputs.slice(1200, 1230).map((output) => output.score))).toBeGreaterThan(0.5);
    const withoutDensity = scores(points, { densityPoints: 0 });
    expect(Math.max(...withoutDensity.slice(1200, 1230).map((output) => output.score))).toBeLessThan(0.5);
  });
});
