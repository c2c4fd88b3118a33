import { scoreDeviation, type Detector, type DetectorOutput, type DetectorPoint } from './detector-types';

export interface TailNoveltyOptions {
  /** How many earlier events at least as large make a point routine (0 turns the tail cap off). */
  rank: number;
  /** Points the memory of events (and of event density) looks back over. */
  memoryPoints: number;
  /** Deviation (share of the alert level) at which a point is an event. */
  eventShare: number;
  /** Quiet points that separate two events: a burst of adjacent points is one event. */
  eventGapPoints: number;
  /** Points over which event points are counted for the density term; 0 turns it off. */
  densityPoints: number;
  alertDeviation: number;
}

interface TailEvent {
  last: number;
  peak: number;
}

/**
 * Remembers the events (runs of points at or above the event level) of the
 * last `memoryPoints` points with their peak |residual|, and answers the
 * `rank`-th largest peak of the finished ones: the size of spike this series
 * produces routinely.
 */
function createEventMemory(options: TailNoveltyOptions): { observe(index: number, isEvent: boolean, residual: number): void; reference(index: number): number } {
  const events: TailEvent[] = [];
  return {
    observe(index: number, isEvent: boolean, residual: number): void {
      while (events.length > 0 && events[0]!.last < index - options.memoryPoints) events.shift();
      if (!isEvent) return;
      const current = events[events.length - 1];
      if (current && current.last >= index - options.eventGapPoints) {
        current.last = index;
        current.peak = Math.max(current.peak, residual);
      } else events.push({ last: index, peak: residual });
    },
    reference(index: number): number {
      if (events.length < options.rank) return 0;
      const peaks: number[] = [];
      for (const event of events) if (event.last < index - options.eventGapPoints) peaks.push(event.peak);
      if (peaks.length < options.rank) return 0;
      peaks.sort((a, b) => b - a);
      return peaks[options.rank - 1]!;
    },
  };
}

/**
 * Counts event points in the last `recentPoints` points and keeps the
 * largest such count seen over [now - memory, now - recent]: how dense the
 * series' spikes ever got, before the current stretch. O(1) amortised.
 */
function createDensityTracker(recentPoints: number, memoryPoints: number): { observe(isEvent: boolean): { count: number; reference: number } } {
  const flags = new Uint8Array(Math.max(1, recentPoints));
  const pending: { index: number; count: number }[] = [];
  const maxima: { index: number; count: number }[] = [];
  let count = 0;
  let index = -1;
  return {
    observe(isEvent: boolean): { count: number; reference: number } {
      index += 1;
      const slot = index % flags.length;
      count += (isEvent ? 1 : 0) - flags[slot]!;
      flags[slot] = isEvent ? 1 : 0;
      while (pending.length > 0 && pending[0]!.index <= index - recentPoints) {
        const entry = pending.shift()!;
        while (maxima.length > 0 && maxima[maxima.length - 1]!.count <= entry.count) maxima.pop();
        maxima.push(entry);
      }
      while (maxima.length > 0 && maxima[0]!.index < index - memoryPoints) maxima.shift();
      const reference = maxima[0]?.count ?? 0;
      pending.push({ index, count });
      return { count, reference };
    },
  };
}

/**
 * Judges a point against the series' own recent tail, for bursty and
 * heavy-tailed series whose robust scale sits far below their routine spikes:
 * 1. tail cap: once the series produced `rank` events at least as large on
 *    the same side (up or down) in the last `memoryPoints` points, the
 *    point's deviation is capped at
 *    alertDeviation x |residual| / (rank-th largest event peak), so a spike as
 *    large as the routine ones scores at most the alert level, however many
 *    scales it is, while a larger one still scores;
 * 2. density: an event's first point also scores alertDeviation x (event points in
 *    the last `densityPoints`) / (most ever seen in such a stretch + 1), so
 *    routine-sized spikes arriving faster than ever before are news.
 * Only the score changes (`isAnomaly`, band and deviation are the inner
 * detector's), so holds and incidents see the same anomalies.
 */
export function createTailNoveltyDetector(inner: Detector, options: TailNoveltyOptions): Detector {
  // One memory per side: routine bursts up do not make a drop of the same size routine.
  const memoryUp = createEventMemory(options);
  const memoryDown = createEventMemory(options);
  const density = createDensityTracker(options.densityPoints, options.memoryPoints);
  let index = -1;
  let previousIsEvent = false;
  return {
    name: `${inner.name}+tail`,
    observe(point: DetectorPoint): DetectorOutput {
      index += 1;
      const output = inner.observe(point);
      const residual = Math.abs(point.value - output.expected);
      const isEvent = output.deviation >= options.eventShare * options.alertDeviation;
      const up = point.value >= output.expected;
      const memory = up ? memoryUp : memoryDown;
      const reference = isEvent && options.rank > 0 ? memory.reference(index) : 0;
      memoryUp.observe(index, isEvent && up, residual);
      memoryDown.observe(index, isEvent && !up, residual);
      const rate = density.observe(isEvent);
      let deviation = output.deviation;
      if (reference > 0) deviation = Math.min(deviation, (options.alertDeviation * residual) / reference);
      // Density speaks only at an event's first point (a sustained shift is one onset, not a rising count), and
      // only after some history, or the first few spikes would all be "denser than ever".
      const isOnset = isEvent && !previousIsEvent;
      previousIsEvent = isEvent;
      if (isOnset && options.densityPoints > 0 && index > options.memoryPoints / 4) {
        deviation = Math.max(deviation, (options.alertDeviation * rate.count) / (rate.reference + 1));
      }
      return deviation === output.deviation ? output : { ...output, score: scoreDeviation(deviation, options.alertDeviation) };
    },
  };
}
