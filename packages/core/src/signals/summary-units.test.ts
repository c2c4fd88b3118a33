import { describe, expect, it } from 'vitest';
import { formatInUnit } from './signals-service-detection';

describe('incident summaries read in the series unit', () => {
  it.each([
    [430.4, 'milliseconds', '430.4 ms'],
    [0.0213, 'ratio', '2.13%'],
    [125_000, 'cents', '$1,250'],
    [11, 'count', '11'],
    [1.385426908, 'count', '1.39'],
  ])('%s %s reads "%s"', (value, unit, text) => {
    expect(formatInUnit(value, unit)).toBe(text);
  });
});
