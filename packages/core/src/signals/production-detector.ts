import type { Detector, DetectorOutput, DetectorPoint } from './detector-types';
import { createCombinedDetector, type CombinedDetectorOptions } from './combined-detector';
import { createTailNoveltyDetector } from './tail-novelty';

export interface ProductionDetectorOptions extends CombinedDetectorOptions {
  /** Points after an alert during which only an escalation (a higher score than the episode's peak) scores (default 30). */
  episodePoints?: number;
  /** Earlier events at least as large that make a spike routine (default 4; 0 turns the tail cap off), see `createTailNoveltyDetector`. */
  tailRank?: number;
  /** Points the tail and density memory looks back over (default 2000). */
  tailMemoryPoints?: number;
  /** Points over which spike density is counted (default 50; 0 turns the density term off). */
  densityPoints?: number;
}

/**
 * Wraps a detector so its score measures news: a point keeps its score only
 * when it beats every raw score of the previous `episodePoints` points,
 * otherwise it scores 0 (its `isAnomaly`, band and deviation are kept). A
 * sustained anomaly then scores once, at its onset, and again only if it
 * escalates; that is what a human wants paged for, and what NAB rewards (it
 * charges every extra detection as a false positive). O(1) amortised per
 * point with a monotonic deque of recent maxima.
 */
export function createEpisodeDetector(inner: Detector, episodePoints: number): Detector {
  const recent: { index: number; score: number }[] = [];
  let index = 0;
  return {
    name: `${inner.name}+episodes`,
    observe(point: DetectorPoint): DetectorOutput {
      const output = inner.observe(point);
      while (recent.length > 0 && recent[0]!.index < index - episodePoints) recent.shift();
      const previousMax = recent[0]?.score ?? 0;
      while (recent.length > 0 && recent[recent.length - 1]!.score <= output.score) recent.pop();
      recent.push({ index, score: output.score });
      index += 1;
      return output.score > previousMax ? output : { ...output, score: 0 };
    },
  };
}

/**
 * The detector OpsPilot runs on every metric series and in `opspilot detect`:
 * combined models, judged against the series' own recent tail (routine-sized
 * spikes capped, denser-than-ever spikes scored), then episodes. The tail
 * layer handles "seen it before", so the episode only has to mute the
 * continuation of one anomaly (30 points; it was 150 before the tail layer).
 */
export function createProductionDetector(options: ProductionDetectorOptions = {}): Detector {
  const combined = createCombinedDetector(options);
  const tail = {
    rank: options.tailRank ?? 4, memoryPoints: options.tailMemoryPoints ?? 2000, densityPoints: options.densityPoints ?? 50,
    eventShare: 0.6, eventGapPoints: 10, alertDeviation: options.alertDeviation ?? 5,
  };
  const inner = tail.rank > 0 || tail.densityPoints > 0 ? createTailNoveltyDetector(combined, tail) : combined;
  return createEpisodeDetector(inner, options.episodePoints ?? 30);
}
