import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { computeMetricSeries, summariseMetric } from './compute-metric-series';
import { metricDefinitions, metricKeys } from './metric-definitions';
import type { MetricFacts } from './metric-types';

const at = (iso: string): Date => new Date(`${iso}Z`);

/*
 * Hand-computed ledger, Jan-Apr 2026 (cents). Plans: basic = 10000, pro = 30000.
 *   A: new basic 10000 (Jan 5); upgrade to pro 30000 (Feb 10, expansion 20000).
 *   B: new pro 30000 (Jan 12); downgrade to basic 10000 (Mar 3, contraction 20000).
 *   C: new basic 10000 (Jan 20); payment fails Feb 12; churns Feb 15; reactivates basic 10000 (Apr 2).
 *   D: trial Feb 1 - Feb 15, converts: new basic 10000 (Feb 15); invoice fails twice (Mar 15, Mar 18).
 *   E: trial Feb 20 - Mar 6, canceled Mar 5: never converts, no ledger row.
 *   F: signs up and cancels in March: new pro 30000 (Mar 10), churn (Mar 25).
 */
const facts: MetricFacts = {
  mrrChanges: [
    { customerId: 'A', occurredAt: at('2026-01-05T10:00:00'), mrrBefore: 0, mrrAfter: 10000, planKey: 'basic' },
    { customerId: 'B', occurredAt: at('2026-01-12T10:00:00'), mrrBefore: 0, mrrAfter: 30000, planKey: 'pro' },
    { customerId: 'C', occurredAt: at('2026-01-20T10:00:00'), mrrBefore: 0, mrrAfter: 10000, planKey: 'basic' },
    { customerId: 'A', occurredAt: at('2026-02-10T10:00:00'), mrrBefore: 10000, mrrAfter: 30000, planKey: 'pro' },
    { customerId: 'C', occurredAt: at('2026-02-15T00:00:00'), mrrBefore: 10000, mrrAfter: 0, planKey: 'basic' },
    { customerId: 'D', occurredAt: at('2026-02-15T12:00:00'), mrrBefore: 0, mrrAfter: 10000, planKey: 'basic' },
    { customerId: 'B', occurredAt: at('2026-03-03T10:00:00'), mrrBefore: 30000, mrrAfter: 10000, planKey: 'basic' },
    { customerId: 'F', occurredAt: at('2026-03-10T10:00:00'), mrrBefore: 0, mrrAfter: 30000, planKey: 'pro' },
    { customerId: 'F', occurredAt: at('2026-03-25T10:00:00'), mrrBefore: 30000, mrrAfter: 0, planKey: 'pro' },
    { customerId: 'C', occurredAt: at('2026-04-02T10:00:00'), mrrBefore: 0, mrrAfter: 10000, planKey: 'basic' },
  ],
  subscriptions: [
    { customerId: 'D', planKey: 'basic', status: 'active', startedAt: at('2026-02-01T00:00:00'), trialStart: at('2026-02-01T00:00:00'), trialEnd: at('2026-02-15T12:00:00') },
    { customerId: 'E', planKey: 'basic', status: 'canceled', startedAt: at('2026-02-20T00:00:00'), trialStart: at('2026-02-20T00:00:00'), trialEnd: at('2026-03-06T00:00:00'), canceledAt: at('2026-03-05T00:00:00') },
  ],
  invoices: [
    { customerId: 'C', status: 'failed', amount: 10000, attemptCount: 1, createdAt: at('2026-02-12T00:00:00'), lastFailedAt: at('2026-02-12T00:00:00') },
    { customerId: 'D', status: 'paid', amount: 10000, attemptCount: 3, createdAt: at('2026-03-15T00:00:00'), failedAttemptsAt: [at('2026-03-15T00:00:00'), at('2026-03-18T00:00:00')] },
  ],
  customers: [
    { customerId: 'A', createdAt: at('2026-01-05T09:00:00') },
    { customerId: 'B', createdAt: at('2026-01-12T09:00:00') },
    { customerId: 'C', createdAt: at('2026-01-20T09:00:00') },
    { customerId: 'D', createdAt: at('2026-02-01T00:00:00') },
    { customerId: 'E', createdAt: at('2026-02-20T00:00:00') },
    { customerId: 'F', createdAt: at('2026-03-10T09:00:00') },
  ],
  activity: [
    { actorId: 'u1', occurredAt: at('2026-01-03T00:00:00') },
    { actorId: 'u1', occurredAt: at('2026-01-04T00:00:00') },
    { actorId: 'u2', occurredAt: at('2026-01-10T00:00:00') },
    { actorId: 'u1', occurredAt: at('2026-02-02T00:00:00') },
  ],
  tickets: [{ createdAt: at('2026-01-07T00:00:00') }, { createdAt: at('2026-01-08T00:00:00') }, { createdAt: at('2026-03-01T00:00:00') }],
  points: [
    { metric: 'requests', ts: at('2026-01-01T00:00:00'), value: 600 },
    { metric: 'requests', ts: at('2026-01-01T00:05:00'), value: 600 },
    { metric: 'errors', ts: at('2026-01-01T00:05:00'), value: 6 },
    { metric: 'latency_ms', ts: at('2026-01-01T00:00:00'), value: 200, count: 45 },
    { metric: 'latency_ms', ts: at('2026-01-01T00:05:00'), value: 100, count: 50 },
    { metric: 'latency_ms', ts: at('2026-01-01T00:05:00'), value: 1000, count: 5 },
  ],
};

const months = { from: at('2026-01-01T00:00:00'), to: at('2026-05-01T00:00:00'), interval: 'month' as const };
const monthly = (metric: string, segment?: string): (number | null)[] =>
  computeMetricSeries(facts, { ...months, metric, ...(segment ? { segment } : {}) }).points.map((point) => point.value);

describe('SaaS metrics on a hand-computed ledger (months Jan, Feb, Mar, Apr 2026)', () => {
  it('MRR movements follow the bridge and the classification rules', () => {
    const points = computeMetricSeries(facts, { ...months, metric: 'mrr' }).points;
    // Jan: 0 + new(A 10000 + B 30000 + C 10000) = 50000.
    // Feb: 50000 + new(D 10000) + expansion(A 20000) - churn(C 10000) = 70000.
    // Mar: 70000 + new(F 30000) - contraction(B 20000) - churn(F 30000) = 50000 (F signs up and cancels: new and churn).
    // Apr: 50000 + reactivation(C 10000) = 60000.
    expect(points.map((point) => point.movements)).toEqual([
      { start: 0, new: 50000, expansion: 0, contraction: 0, churn: 0, reactivation: 0, end: 50000 },
      { start: 50000, new: 10000, expansion: 20000, contraction: 0, churn: 10000, reactivation: 0, end: 70000 },
      { start: 70000, new: 30000, expansion: 0, contraction: 20000, churn: 30000, reactivation: 0, end: 50000 },
      { start: 50000, new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 10000, end: 60000 },
    ]);
    for (const { movements: m } of points) {
      expect(m!.end).toBe(m!.start + m!.new + m!.expansion + m!.reactivation - m!.contraction - m!.churn);
    }
    expect(monthly('mrr')).toEqual([50000, 70000, 50000, 60000]);
    expect(monthly('arr')).toEqual([600000, 840000, 600000, 720000]); // MRR x 12
    expect(monthly('mrr_new')).toEqual([50000, 10000, 30000, 0]);
    expect(monthly('mrr_expansion')).toEqual([0, 20000, 0, 0]);
    expect(monthly('mrr_contraction')).toEqual([0, 0, 20000, 0]);
    expect(monthly('mrr_churn')).toEqual([0, 10000, 30000, 0]);
    expect(monthly('mrr_reactivation')).toEqual([0, 0, 0, 10000]);
  });

  it('customer counts, ARPA, churn rates and LTV', () => {
    // Paying at end: Jan A,B,C; Feb A,B,D; Mar A,B,D (F gone); Apr A,B,C,D.
    expect(monthly('paying_customers')).toEqual([3, 3, 3, 4]);
    // ARPA = MRR / paying: 50000/3, 70000/3, 50000/3, 60000/4.
    expect(monthly('arpa')).toEqual([50000 / 3, 70000 / 3, 50000 / 3, 15000]);
    // Lost / paying at start: Jan no start cohort; Feb C of {A,B,C}; Mar F was not at start -> 0; Apr 0.
    expect(monthly('customer_churn_rate')).toEqual([null, 1 / 3, 0, 0]);
    // Churn rows: Feb C; Mar F (signs up and cancels inside March: counted, unlike the rate's start cohort).
    expect(monthly('churned_customers')).toEqual([0, 1, 1, 0]);
    expect(monthly('churned_customers', 'pro')).toEqual([0, 0, 1, 0]);
    // (churn + contraction) / start: Feb 10000/50000; Mar (30000 + 20000)/70000; Apr 0/50000.
    expect(monthly('mrr_churn_rate')).toEqual([null, 0.2, 50000 / 70000, 0]);
    // LTV = ARPA / churn rate: only Feb has churn: (70000/3) / (1/3) = 70000.
    const ltv = monthly('ltv');
    expect(ltv[0]).toBeNull();
    expect(ltv[1]).toBeCloseTo(70000, 6);
    expect(ltv.slice(2)).toEqual([null, null]);
  });

  it('retention and quick ratio', () => {
    // NRR: Feb (50000 + 20000 - 10000)/50000 = 1.2; Mar (70000 - 20000 - 30000)/70000; Apr (50000 + 10000)/50000 = 1.2.
    expect(monthly('nrr')).toEqual([null, 1.2, 20000 / 70000, 1.2]);
    // GRR: Feb (50000 - 10000)/50000 = 0.8; Mar (70000 - 50000)/70000; Apr 1.
    expect(monthly('grr')).toEqual([null, 0.8, 20000 / 70000, 1]);
    // Quick ratio (new + expansion)/(contraction + churn): Jan nothing lost -> null; Feb 30000/10000; Mar 30000/50000; Apr 0/0.
    expect(monthly('quick_ratio')).toEqual([null, 3, 0.6, null]);
  });

  it('trials, sign-ups, active users, failed payments and tickets', () => {
    // D's trial ends Feb 15 and converts (1/1); E's ends Mar 6 but was canceled Mar 5 (0/1).
    expect(monthly('trial_conversion')).toEqual([null, 1, 0, null]);
    expect(monthly('signups')).toEqual([3, 2, 1, 0]); // A,B,C | D,E | F
    expect(monthly('active_users')).toEqual([2, 1, 0, 0]); // {u1,u2} | {u1}
    // Feb: C's invoice failed once (only lastFailedAt known); Mar: D's invoice failed twice.
    expect(monthly('failed_payments')).toEqual([0, 1, 2, 0]);
    expect(monthly('ticket_volume')).toEqual([2, 0, 1, 0]);
  });

  it('active users from daily rollups: a longer period reads as its peak day, never below the distinct actors known', () => {
    const rollup = { ...facts, dailyActive: [
      { day: at('2026-01-05T00:00:00'), count: 40 }, { day: at('2026-01-06T00:00:00'), count: 55 },
      { day: at('2026-02-02T00:00:00'), count: 30 }, { day: at('2026-04-30T00:00:00'), count: 7 },
    ] };
    const months = computeMetricSeries(rollup, { metric: 'active_users', from: at('2026-01-01T00:00:00'), to: at('2026-05-01T00:00:00'), interval: 'month' });
    expect(months.points.map((point) => point.value)).toEqual([55, 30, 0, 7]);
    const days = computeMetricSeries({ ...rollup, dailyActive: [{ day: at('2026-01-03T00:00:00'), count: 0 }] }, { metric: 'active_users', from: at('2026-01-03T00:00:00'), to: at('2026-01-05T00:00:00'), interval: 'day' });
    expect(days.points.map((point) => point.value)).toEqual([1, 1]); // u1 on the 3rd and the 4th, known by identity
  });

  it('active users from the store\'s exact per-period counts: the larger of exact, raw activity and the rollup floor', () => {
    const exact = { ...facts, periodActive: [{ start: at('2026-01-01T00:00:00'), count: 12 }, { start: at('2026-03-01T00:00:00'), count: 1 }] };
    const months = computeMetricSeries(exact, { metric: 'active_users', from: at('2026-01-01T00:00:00'), to: at('2026-05-01T00:00:00'), interval: 'month' });
    expect(months.points.map((point) => point.value)).toEqual([12, 1, 1, 0]); // Feb: u1 from raw activity
    const withFloor = computeMetricSeries({ ...exact, dailyActive: [{ day: at('2026-01-09T00:00:00'), count: 20 }] }, { metric: 'active_users', from: at('2026-01-01T00:00:00'), to: at('2026-02-01T00:00:00'), interval: 'month' });
    expect(withFloor.points.map((point) => point.value)).toEqual([20]);
  });

  it('ops metrics from stored points', () => {
    const day = { from: at('2026-01-01T00:00:00'), to: at('2026-01-02T00:00:00'), interval: 'day' as const };
    const value = (metric: string): number | null => computeMetricSeries(facts, { ...day, metric }).points[0]!.value;
    expect(value('request_rate')).toBeCloseTo(1200 / 1440, 10); // 1200 requests over 1440 minutes
    expect(value('error_rate')).toBe(6 / 1200);
    expect(value('request_count')).toBe(1200);
    expect(value('error_count')).toBe(6);
    // Weighted samples: 100 x50, 200 x45, 1000 x5 -> p50 reaches 50 at 100; p95 reaches 95 at 200.
    expect(value('latency_p50')).toBe(100);
    expect(value('latency_p95')).toBe(200);
  });

  it('weekly periods start on Monday (UTC) and are clipped to the range', () => {
    const weeks = computeMetricSeries(facts, { metric: 'mrr', from: at('2026-02-01T00:00:00'), to: at('2026-02-20T00:00:00'), interval: 'week' });
    // Feb 1 2026 is a Sunday: [Feb 1, Feb 2), [Feb 2, Feb 9), [Feb 9, Feb 16), [Feb 16, Feb 20).
    expect(weeks.points.map((point) => point.start.toISOString().slice(0, 10))).toEqual(['2026-02-01', '2026-02-02', '2026-02-09', '2026-02-16']);
    // Week of Feb 9: A +20000, C churn 10000, D new 10000.
    expect(weeks.points[2]!.movements).toEqual({ start: 50000, new: 10000, expansion: 20000, contraction: 0, churn: 10000, reactivation: 0, end: 70000 });
  });

  it('daily series sums back to the monthly movements', () => {
    const days = computeMetricSeries(facts, { metric: 'mrr_churn', from: at('2026-03-01T00:00:00'), to: at('2026-04-01T00:00:00'), interval: 'day' });
    expect(days.points).toHaveLength(31);
    expect(days.points.reduce((sum, point) => sum + (point.value ?? 0), 0)).toBe(30000);
  });

  it('segments by plan: stocks by current plan, movements by the plan on the ledger row', () => {
    // Jan: pro holds B (30000); basic holds A and C (20000).
    expect(monthly('mrr', 'pro')[0]).toBe(30000);
    expect(monthly('mrr', 'basic')[0]).toBe(20000);
    // Feb basic: C churns 10000, D new 10000; A moved to pro (a plan switch, not a movement of basic).
    expect(monthly('mrr_churn', 'basic')[1]).toBe(10000);
    expect(monthly('mrr_new', 'basic')[1]).toBe(10000);
    expect(monthly('mrr', 'basic')[1]).toBe(10000);
  });

  it('summarises one arbitrary period', () => {
    const summary = summariseMetric(facts, { metric: 'mrr', from: at('2026-02-01T00:00:00'), to: at('2026-04-01T00:00:00') });
    expect(summary.movements).toEqual({ start: 50000, new: 40000, expansion: 20000, contraction: 20000, churn: 40000, reactivation: 0, end: 50000 });
    const churn = summariseMetric(facts, { metric: 'customer_churn_rate', from: at('2026-02-01T00:00:00'), to: at('2026-04-01T00:00:00') });
    expect(churn.value).toBe(1 / 3); // C of {A, B, C}; F was not at start
  });

  it('every definition has a formula and bad requests are AppErrors', () => {
    expect(metricKeys.length).toBeGreaterThanOrEqual(24);
    for (const key of metricKeys) expect(metricDefinitions[key]!.formula.length).toBeGreaterThan(5);
    const fail = (input: Parameters<typeof computeMetricSeries>[1]): unknown => {
      try {
        computeMetricSeries(facts, input);
      } catch (error) {
        return error;
      }
      return null;
    };
    expect(fail({ ...months, metric: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(fail({ ...months, metric: 'nrr', segment: 'pro' })).toMatchObject({ code: 'BAD_REQUEST' });
    expect(fail({ ...months, metric: 'mrr', to: months.from })).toBeInstanceOf(AppError);
  });
});
