import { pathToFileURL } from 'node:url';
import { createCombinedDetector, createProductionDetector, createStreamingDetector, type Detector } from '../packages/core/src/signals/index';

/** Five-minute points with a daily cycle, noise and an occasional spike. */
function makePoints(count: number): { ts: number; value: number }[] {
  let seed = 11;
  const noise = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  return Array.from({ length: count }, (_, index) => ({
    ts: Date.UTC(2026, 0, 1) + index * 300_000,
    value: 100 + 40 * Math.sin((2 * Math.PI * index) / 288) + 5 * noise() + (index % 997 === 0 ? 80 : 0),
  }));
}

/** Five-minute points with heavy-tailed bursts (about 3% of points): the tail layer's event memory is at its fullest. */
function makeBurstyPoints(count: number): { ts: number; value: number }[] {
  let seed = 29;
  const uniform = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, (_, index) => ({
    ts: Date.UTC(2026, 0, 1) + index * 300_000,
    value: 10 + uniform() + (uniform() < 0.03 ? 20 / (0.05 + uniform()) : 0),
  }));
}

function measureNanosecondsPerPoint(createDetector: () => Detector, points: readonly { ts: number; value: number }[]): number {
  let sink = 0;
  const warm = createDetector();
  for (const point of points.slice(0, 5000)) sink += warm.observe(point).score;
  const detector = createDetector();
  const started = process.hrtime.bigint();
  for (const point of points) sink += detector.observe(point).score;
  const elapsed = Number(process.hrtime.bigint() - started);
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the loop from being optimised away');
  return Math.round(elapsed / points.length);
}

/** Detector cost per point (ns) for the streaming, combined and production detectors (and production on a bursty series). */
export default async function run(): Promise<Record<string, unknown>> {
  const points = makePoints(200_000);
  return {
    streamingDetectorNsPerPoint: measureNanosecondsPerPoint(() => createStreamingDetector(), points),
    combinedDetectorNsPerPoint: measureNanosecondsPerPoint(() => createCombinedDetector(), points),
    productionDetectorNsPerPoint: measureNanosecondsPerPoint(() => createProductionDetector(), points),
    productionDetectorBurstyNsPerPoint: measureNanosecondsPerPoint(() => createProductionDetector(), makeBurstyPoints(points.length)),
    detectorBenchPoints: points.length,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void run().then((result) => console.log(JSON.stringify(result, null, 2)));
}
