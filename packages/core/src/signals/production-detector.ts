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
 * charges every extra detection as a false positive). While the baseline is
 * held (`baselineHeld`: a quarantined episode, which can last up to the "new
 * normal" horizon), a point scores only when its deviation beats the episode's
 * peak by one alert level. O(1) amortised per point with a monotonic deque of
 * recent maxima.
 */
export function createEpisodeDetector(inner: Detector, episodePoints: number): Detector {
  const recent: { index: number; score: number }[] = [];
  let index = 0;
  // Peak score of a quarantined episode (baseline held): a sustained shift stays anomalous for hours, and
  // without this every new maximum of a 30-point window of it would page again.
  let heldPeak = 0;
  return {
    name: `${inner.name}+episodes`,
    observe(point: DetectorPoint): DetectorOutput {
      const output = inner.observe(point);
      while (recent.length > 0 && recent[0]!.index < index - episodePoints) recent.shift();
      // Halving 1 - score adds one alert level to the deviation: inside a held episode an escalation must beat its peak by that.
      const previousMax = Math.max(recent[0]?.score ?? 0, output.baselineHeld ? 1 - (1 - heldPeak) / 2 : 0);
      heldPeak = output.baselineHeld ? Math.max(heldPeak, recent[0]?.score ?? 0, output.score) : 0;
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
 * The baseline is quarantined during anomalous episodes (`quarantineAnomalies`,
 * on by default here): a sustained shift stays `isAnomaly` until the metric
 * returns or `newNormalAfterMs` (24 hours) accepts it as the new normal.
 */
export function createProductionDetector(options: ProductionDetectorOptions = {}): Detector {
  const combined = createCombinedDetector({ ...options, quarantineAnomalies: options.quarantineAnomalies ?? true });
  const tail = {
    rank: options.tailRank ?? 4, memoryPoints: options.tailMemoryPoints ?? 2000, densityPoints: options.densityPoints ?? 50,
    eventShare: 0.6, eventGapPoints: 10, alertDeviation: options.alertDeviation ?? 5,
  };
  const inner = tail.rank > 0 || tail.densityPoints > 0 ? createTailNoveltyDetector(combined, tail) : combined;
  return createEpisodeDetector(inner, options.episodePoints ?? 30);
}
