import { describe, expect, it } from 'vitest';
import { findDetectionSeries } from '../signals';
import {
  demoIncidents,
  failedPaymentAttempts,
  generateDemoDataset,
  groundTruthFor,
  type DemoDataset,
  type GroundTruthWindow,
} from './index';

const dayMs = 86_400_000;
const hourMs = 3_600_000;

/** Helpers that read one generated dataset the way the signals subsystem will. */
function createProbe(dataset: DemoDataset) {
  const truth = groundTruthFor(dataset.anchor);
  const yearStart = dataset.anchor.getTime() - 365 * dayMs;
  const findTruth = (metric: string): GroundTruthWindow => {
    const window = truth.find((incident) => incident.metric === metric);
    if (!window) throw new Error(`no ground truth for ${metric}`);
    return window;
  };
  /** Per-day counts of events at `times` over the demo year. */
  const countPerDay = (times: readonly Date[]): number[] => {
    const counts = new Array<number>(365).fill(0);
    for (const time of times) {
      const day = Math.floor((time.getTime() - yearStart) / dayMs);
      if (day >= 0 && day < 365) counts[day] = (counts[day] ?? 0) + 1;
    }
    return counts;
  };
  const seriesValues = (metric: string): number[] => {
    const series = dataset.metricSeries.find((candidate) => candidate.metric === metric);
    if (!series) throw new Error(`missing series ${metric}`);
    return series.values;
  };
  /** Indexes [from, to) of a window in buckets of `bucketMs`, optionally shifted by whole days. */
  const bucketRange = (window: GroundTruthWindow, bucketMs: number, shiftDays = 0): [number, number] => {
    const shift = shiftDays * dayMs;
    return [
      (window.start.getTime() + shift - yearStart) / bucketMs,
      (window.end.getTime() + shift - yearStart) / bucketMs,
    ];
  };
  const failedPaymentsPerDay = () =>
    countPerDay(dataset.invoices.flatMap((invoice) => failedPaymentAttempts(invoice)));
  const churnPerDay = (plan: string) =>
    countPerDay(
      dataset.mrrChanges
        .filter((change) => change.mrrAfter === 0 && change.planKey === plan)
        .map((change) => change.occurredAt),
    );
  return { truth, findTruth, countPerDay, seriesValues, bucketRange, failedPaymentsPerDay, churnPerDay };
}

function sumRange(values: readonly number[], [from, to]: [number, number]): number {
  return values.slice(from, to).reduce((sum, value) => sum + value, 0);
}

function hourlyMeans(values: readonly number[]): number[] {
  const means: number[] = [];
  for (let hour = 0; hour * 12 < values.length; hour += 1)
    means.push(sumRange(values, [hour * 12, hour * 12 + 12]) / 12);
  return means;
}

/** Each incident's window against the same window one week earlier. */
function measureContrasts(dataset: DemoDataset) {
  const probe = createProbe(dataset);
  const contrast = (values: readonly number[], metric: string, bucketMs: number) => ({
    inside: sumRange(values, probe.bucketRange(probe.findTruth(metric), bucketMs)),
    weekEarlier: sumRange(values, probe.bucketRange(probe.findTruth(metric), bucketMs, -7)),
  });
  return {
    failedPayments: contrast(probe.failedPaymentsPerDay(), 'failed_payments', dayMs),
    growthChurn: contrast(probe.churnPerDay('growth'), 'churned_customers', dayMs),
    signups: contrast(probe.seriesValues('signups'), 'signups', dayMs),
    latency: contrast(hourlyMeans(probe.seriesValues('api_latency_p95_ms')), 'latency_p95', hourMs),
  };
}

const dataset = generateDemoDataset({ now: new Date('2026-11-25T19:30:00Z') });
const { truth, findTruth, seriesValues, bucketRange, failedPaymentsPerDay, churnPerDay } =
  createProbe(dataset);
const yearStart = dataset.anchor.getTime() - 365 * dayMs;

describe('ground truth', () => {
  it('places the committed incidents at fixed offsets from the UTC-midnight anchor', () => {
    expect(demoIncidents.length).toBeGreaterThanOrEqual(4);
    expect(truth.map((incident) => incident.metric).sort()).toEqual([
      'churned_customers',
      'failed_payments',
      'latency_p95',
      'signups',
    ]);
    expect(findTruth('churned_customers').segment).toBe('growth');
    expect(findTruth('signups').segment).toBe('');
    const latency = findTruth('latency_p95');
    expect(latency.start.toISOString()).toBe('2026-11-06T14:00:00.000Z');
    expect(latency.end.toISOString()).toBe('2026-11-06T19:00:00.000Z');
    for (const incident of truth) {
      expect(incident.start.getTime()).toBeLessThan(incident.end.getTime());
      expect(incident.start.getTime()).toBeGreaterThan(yearStart + 28 * dayMs);
    }
  });

  it('names each planted incident by the metric key detection stores on its anomalies', () => {
    for (const incident of truth) expect(findDetectionSeries(incident.metric), incident.metric).toBeDefined();
  });
});

describe('planted incidents are visible in the data and the rest stays quiet', () => {
  it('failed payments spike against the same days one week earlier', () => {
    const perDay = failedPaymentsPerDay();
    const window = bucketRange(findTruth('failed_payments'), dayMs);
    const inside = sumRange(perDay, window);
    const weekEarlier = sumRange(perDay, bucketRange(findTruth('failed_payments'), dayMs, -7));
    expect(inside).toBeGreaterThanOrEqual(4 * Math.max(weekEarlier, 1));
    const insideMinimum = Math.min(...perDay.slice(...window));
    const outside = perDay.filter((_, day) => day < window[0] || day >= window[1]);
    expect(Math.max(...outside)).toBeLessThan(insideMinimum);
    const baseline = outside.reduce((sum, value) => sum + value, 0) / outside.length;
    expect(inside / (window[1] - window[0]) / baseline).toBeLessThan(20);
  });

  it('p95 latency rises for every hour of the regression and nowhere else', () => {
    const hourly = hourlyMeans(seriesValues('api_latency_p95_ms'));
    const [from, to] = bucketRange(findTruth('latency_p95'), hourMs);
    for (let hour = from; hour < to; hour += 1) {
      const ratio = (hourly[hour] ?? 0) / (hourly[hour - 168] ?? Infinity);
      expect(ratio).toBeGreaterThan(1.8);
      expect(ratio).toBeLessThan(4);
    }
    for (let hour = 168; hour < hourly.length; hour += 1) {
      const touchesWindow = (hour >= from && hour < to) || (hour - 168 >= from && hour - 168 < to);
      if (!touchesWindow) expect((hourly[hour] ?? 0) / (hourly[hour - 168] ?? 1)).toBeLessThan(1.3);
    }
  });

  it('the latency regression follows an api deploy that is rolled back when it ends', () => {
    const latency = findTruth('latency_p95');
    const apiDeploys = dataset.deploys.filter((deploy) => deploy.service === 'api');
    const culpritIndex = apiDeploys.findIndex((deploy) => deploy.rolledBack);
    const culprit = apiDeploys[culpritIndex];
    const rollback = apiDeploys[culpritIndex + 1];
    expect(dataset.deploys.filter((deploy) => deploy.rolledBack)).toHaveLength(1);
    expect(latency.start.getTime() - (culprit?.deployedAt.getTime() ?? 0)).toBeLessThanOrEqual(5 * 60_000);
    expect(latency.start.getTime() - (culprit?.deployedAt.getTime() ?? Infinity)).toBeGreaterThan(0);
    expect(rollback?.deployedAt.getTime()).toBeLessThan(latency.end.getTime());
    expect(rollback?.deployedAt.getTime()).toBeGreaterThan(latency.end.getTime() - 5 * 60_000);
    expect(rollback?.version).toBe(apiDeploys[culpritIndex - 1]?.version);
  });

  it('churn jumps in the Growth plan only, against one week earlier and any other week', () => {
    const incident = findTruth('churned_customers');
    const window = bucketRange(incident, dayMs);
    const growth = churnPerDay('growth');
    const inside = sumRange(growth, window);
    expect(inside).toBeGreaterThanOrEqual(
      3 * Math.max(sumRange(growth, bucketRange(incident, dayMs, -7)), 1),
    );
    for (let day = 0; day + 7 <= 365; day += 1) {
      if (day + 7 <= window[0] || day >= window[1])
        expect(sumRange(growth, [day, day + 7])).toBeLessThan(inside / 2);
    }
    for (const plan of ['starter', 'scale']) {
      const other = churnPerDay(plan);
      expect(sumRange(other, window), plan).toBeLessThanOrEqual(
        2 * Math.max(sumRange(other, bucketRange(incident, dayMs, -7)), 2),
      );
    }
  });

  it('sign-ups drop for several days against the same days one week earlier', () => {
    const signups = seriesValues('signups');
    const incident = findTruth('signups');
    const window = bucketRange(incident, dayMs);
    expect(window[1] - window[0]).toBeGreaterThanOrEqual(3);
    const ratio = sumRange(signups, window) / sumRange(signups, bucketRange(incident, dayMs, -7));
    expect(ratio).toBeLessThan(0.6);
    expect(ratio).toBeGreaterThan(0.2);
    const length = window[1] - window[0];
    for (let day = 7; day + length <= 365; day += 1) {
      const overlaps = (start: number) => start + length > window[0] && start < window[1];
      if (overlaps(day) || overlaps(day - 7)) continue;
      const outsideRatio =
        sumRange(signups, [day, day + length]) / sumRange(signups, [day - 7, day - 7 + length]);
      expect(outsideRatio).toBeGreaterThan(0.6);
      expect(outsideRatio).toBeLessThan(1.7);
    }
  });
});

describe('planted incidents for other seeds and anchor weekdays', () => {
  it.each([
    { seed: 1, now: '2026-03-02T00:00:00Z' },
    { seed: 2, now: '2026-06-06T12:00:00Z' },
    { seed: 3, now: '2027-01-10T08:00:00Z' },
  ])('seed $seed, anchor $now: every window differs clearly from one week earlier', ({ seed, now }) => {
    const contrasts = measureContrasts(generateDemoDataset({ now: new Date(now), seed }));
    expect(contrasts.failedPayments.inside).toBeGreaterThanOrEqual(
      4 * Math.max(contrasts.failedPayments.weekEarlier, 1),
    );
    expect(contrasts.growthChurn.inside).toBeGreaterThanOrEqual(
      3 * Math.max(contrasts.growthChurn.weekEarlier, 1),
    );
    expect(contrasts.signups.inside).toBeLessThan(0.6 * contrasts.signups.weekEarlier);
    expect(contrasts.latency.inside).toBeGreaterThan(1.8 * contrasts.latency.weekEarlier);
  });
});
