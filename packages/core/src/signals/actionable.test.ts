import { describe, expect, it } from 'vitest';
import { isActionableAnomaly, isBadDirection } from './actionable';
import { detectionSeries, metricDefinitions } from './index';

describe('which anomalies are worth acting on', () => {
  it('keeps a churn jump of several customers a week', () => {
    expect(isActionableAnomaly({ metric: 'churned_customers', direction: 'up', actual: 11, expected: 1 })).toBe(true);
  });

  it('keeps statistically odd but tiny churn blips out of incidents', () => {
    expect(isActionableAnomaly({ metric: 'churned_customers', direction: 'up', actual: 2, expected: 0.3 })).toBe(false);
  });

  it('never acts on the good direction: fewer churns, a latency drop, a revenue rise', () => {
    expect(isActionableAnomaly({ metric: 'churned_customers', direction: 'down', actual: 0, expected: 9 })).toBe(false);
    expect(isActionableAnomaly({ metric: 'latency_p95', direction: 'down', actual: 40, expected: 120 })).toBe(false);
    expect(isActionableAnomaly({ metric: 'mrr', direction: 'up', actual: 2_000_000, expected: 1_000_000 })).toBe(false);
    expect(isActionableAnomaly({ metric: 'latency_p95', direction: 'up', actual: 900, expected: 120 })).toBe(true);
    expect(isActionableAnomaly({ metric: 'mrr', direction: 'down', actual: 500_000, expected: 1_000_000 })).toBe(true);
  });

  it('reads the bad direction from the metric definition, and takes both ways for an unknown metric', () => {
    expect(isBadDirection('request_count', 'down')).toBe(true);
    expect(isBadDirection('request_count', 'up')).toBe(false);
    expect(isBadDirection('something_new', 'up')).toBe(true);
    expect(isBadDirection('something_new', 'down')).toBe(true);
  });
});

describe('watched series', () => {
  it('are all metric definitions, so name, unit and direction of good live in one place', () => {
    for (const spec of detectionSeries) expect(metricDefinitions[spec.metric], spec.metric).toBeDefined();
  });
});
