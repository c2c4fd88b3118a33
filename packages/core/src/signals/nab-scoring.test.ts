import { describe, expect, it } from 'vitest';
import { formatScoredCsv, parseNabCsv } from './nab-csv';
import { nabProfiles, optimiseNabThreshold, probationLength, scaledSigmoid, type NabFile } from './nab-scoring';

/** 100 rows one minute apart; probation is the first 15. One window over rows 40..59. */
const timestamps = Array.from({ length: 100 }, (_, index) => index * 60_000);
const window = [40 * 60_000, 59 * 60_000] as const;
const file = (scores: number[], windows: NabFile['windows'] = [window]): NabFile => ({ name: 'tiny', timestamps, scores, windows });
const detectAt = (...rows: number[]): number[] => timestamps.map((_, index) => (rows.includes(index) ? 1 : 0));

describe('NAB scoring', () => {
  it('has the documented sigmoid and probation', () => {
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(-1)).toBeCloseTo(2 / (1 + Math.exp(-5)) - 1, 12);
    expect(scaledSigmoid(3.5)).toBe(-1);
    expect(probationLength(100)).toBe(15);
    expect(probationLength(10_000)).toBe(750);
  });

  it('a perfect detector scores 100 and a null detector 0 on every profile', () => {
    for (const profile of Object.values(nabProfiles)) {
      expect(optimiseNabThreshold([file(detectAt(40))], profile).normalisedScore).toBeCloseTo(100, 10);
      const nothing = optimiseNabThreshold([file(detectAt())], profile);
      expect(nothing.normalisedScore).toBe(0);
      expect(nothing.falseNegatives).toBe(1);
    }
  });

  it('an early detection in the window beats a late one', () => {
    const early = optimiseNabThreshold([file(detectAt(42))], nabProfiles.standard);
    const late = optimiseNabThreshold([file(detectAt(57))], nabProfiles.standard);
    expect(early.rawScore).toBeGreaterThan(late.rawScore);
    // Row 57: pos = -(59 - 57 + 1) / 20 = -0.15.
    expect(late.rawScore).toBeCloseTo(scaledSigmoid(-0.15) / scaledSigmoid(-1), 12);
    // Only the earliest detection counts: adding a later one changes nothing.
    expect(optimiseNabThreshold([file(detectAt(42, 57))], nabProfiles.standard).rawScore).toBeCloseTo(early.rawScore, 12);
  });

  it('a false positive before the first window costs the full fp weight; one just after a window costs little', () => {
    const withEarlyFalsePositive = optimiseNabThreshold([file(detectAt(20, 40))], nabProfiles.standard);
    expect(withEarlyFalsePositive.rawScore).toBeCloseTo(1 - 0.11, 12);
    expect(withEarlyFalsePositive.falsePositives).toBe(1);
    const lowFalsePositive = optimiseNabThreshold([file(detectAt(20, 40))], nabProfiles.reward_low_FP_rate);
    expect(lowFalsePositive.rawScore).toBeCloseTo(1 - 0.22, 12);
    // Row 61 is 2 rows after the window end (row 59), width 20: costs 0.11 * -scaledSigmoid(2 / 19).
    const afterWindow = optimiseNabThreshold([file(detectAt(40, 61))], nabProfiles.standard);
    expect(afterWindow.rawScore).toBeCloseTo(1 + 0.11 * scaledSigmoid(2 / 19), 12);
  });

  it('detections in probation are ignored and the threshold sweep picks the best cut', () => {
    expect(optimiseNabThreshold([file(detectAt(5, 40))], nabProfiles.standard).rawScore).toBeCloseTo(1, 12);
    const graded = timestamps.map((_, index) => (index === 40 ? 0.9 : index === 20 ? 0.5 : 0));
    const result = optimiseNabThreshold([file(graded)], nabProfiles.standard);
    expect(result.threshold).toBe(0.9); // 0.5 would add an FP
    expect(result.normalisedScore).toBeCloseTo(100, 10);
  });

  it('sums over a corpus: missing one of two windows scores 50 in the standard profile', () => {
    const result = optimiseNabThreshold([file(detectAt(40)), file(detectAt())], nabProfiles.standard);
    expect(result.normalisedScore).toBeCloseTo(50, 10);
    // reward_low_FN doubles the cost of the miss: (1 - 2 - (-4)) / (2 - (-4)) = 50 as well, raw is -1.
    expect(optimiseNabThreshold([file(detectAt(40)), file(detectAt())], nabProfiles.reward_low_FN_rate).rawScore).toBeCloseTo(-1, 12);
  });

  it('reads and writes NAB CSVs', () => {
    const series = parseNabCsv('timestamp,value\n2014-04-01 00:00:00,20.5\n2014-04-01 00:05:00,21\n');
    expect(series.timestamps).toEqual([Date.UTC(2014, 3, 1), Date.UTC(2014, 3, 1, 0, 5)]);
    expect(formatScoredCsv(series, [0, 0.25])).toBe('timestamp,value,anomaly_score\n2014-04-01 00:00:00,20.5,0\n2014-04-01 00:05:00,21,0.25\n');
    expect(() => parseNabCsv('timestamp,value\nnot-a-date,1\n', 'bad.csv')).toThrow(/bad.csv: line 2/);
    expect(() => parseNabCsv('a,b\n')).toThrow(/header/);
  });
});
