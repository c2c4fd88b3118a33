/**
 * A port of the Numenta Anomaly Benchmark scoring (numenta/NAB), as described
 * in the shared NAB README: probation, label windows, scaled sigmoid weights,
 * the three cost profiles, one threshold per profile swept over the whole
 * corpus, and the normalised score.
 */

export interface NabProfile {
  tp: number;
  fp: number;
  fn: number;
}

/** The three NAB profiles (config/profiles.json). */
export const nabProfiles: Readonly<Record<'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate', NabProfile>> = {
  standard: { tp: 1, fp: 0.11, fn: 1 },
  reward_low_FP_rate: { tp: 1, fp: 0.22, fn: 1 },
  reward_low_FN_rate: { tp: 1, fp: 0.11, fn: 2 },
};

/** One scored series: row timestamps (ms), the detector's scores, and the labelled windows [start, end] (ms, inclusive). */
export interface NabFile {
  name: string;
  timestamps: readonly number[];
  scores: readonly number[];
  windows: readonly (readonly [number, number])[];
}

/** NAB's sigmoid: 2 / (1 + e^(5x)) - 1, and -1 beyond x > 3. */
export function scaledSigmoid(x: number): number {
  return x > 3 ? -1 : 2 / (1 + Math.exp(5 * x)) - 1;
}

/** Rows not scored at the start of a series: 15% of it, at most 750 rows. */
export function probationLength(rowCount: number): number {
  return Math.min(Math.floor(0.15 * rowCount), 750);
}

/** How a detection on one row would count: inside window `window` with a relative weight, or as a false positive. */
type RowRole = { kind: 'ignored' } | { kind: 'window'; window: number; weight: number } | { kind: 'outside'; falsePositiveFactor: number };

interface WindowRows {
  left: number;
  right: number;
}

function locateWindows(file: NabFile): WindowRows[] {
  const located: WindowRows[] = [];
  for (const [start, end] of file.windows) {
    let left = -1;
    let right = -1;
    file.timestamps.forEach((ts, index) => {
      if (ts >= start && ts <= end) {
        if (left < 0) left = index;
        right = index;
      }
    });
    if (left >= 0) located.push({ left, right });
  }
  return located.sort((a, b) => a.left - b.left);
}

/**
 * The role of every row: ignored in probation; inside a window with weight
 * scaledSigmoid(pos) / scaledSigmoid(-1); outside with the share of `fp` it costs
 * (1 before the first window, then the sigmoid of the distance past the previous window).
 */
export function assignNabRowRoles(file: NabFile): { roles: RowRole[]; windowCount: number } {
  const windows = locateWindows(file);
  const probation = probationLength(file.timestamps.length);
  const roles: RowRole[] = [];
  let windowIndex = 0;
  let previous: WindowRows | undefined;
  for (let row = 0; row < file.timestamps.length; row += 1) {
    while (windowIndex < windows.length && row > windows[windowIndex]!.right) previous = windows[windowIndex++];
    const current = windows[windowIndex];
    if (row < probation) roles.push({ kind: 'ignored' });
    else if (current && row >= current.left) {
      const width = current.right - current.left + 1;
      const position = -(current.right - row + 1) / width;
      roles.push({ kind: 'window', window: windowIndex, weight: scaledSigmoid(position) / scaledSigmoid(-1) });
    } else if (previous) {
      const width = previous.right - previous.left + 1;
      const factor = width > 1 ? -scaledSigmoid(Math.abs(row - previous.right) / (width - 1)) : 1;
      roles.push({ kind: 'outside', falsePositiveFactor: factor });
    } else roles.push({ kind: 'outside', falsePositiveFactor: 1 });
  }
  return { roles, windowCount: windows.length };
}

export interface NabResult {
  threshold: number;
  rawScore: number;
  normalisedScore: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

interface SweepEntry {
  score: number;
  role: RowRole;
  windowKey: number;
}

function collectEntries(files: readonly NabFile[]): { entries: SweepEntry[]; windowCount: number } {
  const entries: SweepEntry[] = [];
  let windowOffset = 0;
  for (const file of files) {
    const { roles, windowCount } = assignNabRowRoles(file);
    roles.forEach((role, row) => {
      if (role.kind !== 'ignored') entries.push({ score: file.scores[row] ?? 0, role, windowKey: role.kind === 'window' ? windowOffset + role.window : -1 });
    });
    windowOffset += windowCount;
  }
  entries.sort((a, b) => b.score - a.score);
  return { entries, windowCount: windowOffset };
}

/**
 * Sweeps every threshold (each distinct score, plus "detect nothing") over the
 * whole corpus and returns the one with the highest total raw score for the
 * profile. Rows with score >= threshold are detections; only the earliest (best
 * weighted) detection of a window counts; every detection outside counts as fp.
 */
export function optimiseNabThreshold(files: readonly NabFile[], profile: NabProfile): NabResult {
  const { entries, windowCount } = collectEntries(files);
  const nullScore = -profile.fn * windowCount;
  const perfectScore = profile.tp * windowCount;
  const bestWeight = new Map<number, number>();
  let total = nullScore;
  let falsePositives = 0;
  let best = { threshold: Number.POSITIVE_INFINITY, rawScore: nullScore, truePositives: 0, falsePositives: 0 };
  for (let index = 0; index < entries.length; index += 1) {
    const entry = entries[index]!;
    if (entry.role.kind === 'window') {
      const previousWeight = bestWeight.get(entry.windowKey);
      const weighted = profile.tp * entry.role.weight;
      if (previousWeight === undefined) total += profile.fn + weighted;
      else if (weighted > previousWeight) total += weighted - previousWeight;
      if (previousWeight === undefined || weighted > previousWeight) bestWeight.set(entry.windowKey, weighted);
    } else if (entry.role.kind === 'outside') {
      total -= profile.fp * entry.role.falsePositiveFactor;
      falsePositives += 1;
    }
    const next = entries[index + 1];
    if (next && next.score === entry.score) continue;
    if (total > best.rawScore + 1e-12) best = { threshold: entry.score, rawScore: total, truePositives: bestWeight.size, falsePositives };
  }
  return {
    threshold: best.threshold,
    rawScore: best.rawScore,
    normalisedScore: perfectScore === nullScore ? 0 : (100 * (best.rawScore - nullScore)) / (perfectScore - nullScore),
    truePositives: best.truePositives,
    falsePositives: best.falsePositives,
    falseNegatives: windowCount - best.truePositives,
  };
}
