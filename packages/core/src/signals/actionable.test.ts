import { describe, expect, it } from 'vitest';
import { detectionSeries, isActionable } from './signals-service-detection';

const churn = detectionSeries.find((spec) => spec.metric === 'customer_churn')!;
/** The Anscombe transform the detection job judges counts on. */
const anscombe = (count: number) => 2 * Math.sqrt(count + 0.375);

describe('which anomalies open incidents', () => {
  it('keeps a churn jump of several customers a week', () => {
    expect(isActionable(churn, { direction: 'up', actual: anscombe(11), expected: anscombe(1) })).toBe(true);
  });

  it('keeps statistically odd but tiny churn blips out of incidents', () => {
    expect(isActionable(churn, { direction: 'up', actual: anscombe(2), expected: anscombe(0.3) })).toBe(false);
  });

  it('never opens incidents for the good direction', () => {
    expect(isActionable(churn, { direction: 'down', actual: anscombe(0), expected: anscombe(9) })).toBe(false);
  });
});
