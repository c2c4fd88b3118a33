import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import type { AnomalyRecord } from './detect-anomalies';
import {
  areMetricsRelated, assignAnomalyToIncident, buildIncidentTitle, decideContinuation, describeMetricName, groupAnomaliesIntoIncidents, transitionIncident,
} from './incidents';

const hour = 3_600_000;
let counter = 0;
const ids = { next: (prefix = 'id') => `${prefix}_${(counter += 1)}` };

function anomaly(metric: string, startHour: number, endHour: number, overrides: Partial<AnomalyRecord> = {}): AnomalyRecord {
  return {
    metric, segment: '', detector: 'combined', windowStart: startHour * hour, windowEnd: endHour * hour,
    expected: 1, lower: 0, upper: 2, actual: 5, score: 0.6, direction: 'up', severity: 'info', ...overrides,
  };
}

describe('incident grouping', () => {
  it('groups overlapping anomalies on related metrics and keeps unrelated ones apart', () => {
    const incidents = groupAnomaliesIntoIncidents(
      [
        anomaly('error_rate', 10, 12, { severity: 'warning' }),
        anomaly('latency_p95', 11, 13, { severity: 'critical' }),
        anomaly('mrr_churn', 11, 12), // business metric at the same time: a separate incident
        anomaly('error_rate', 13.5, 14), // within the 1 h gap tolerance of the first group
        anomaly('error_rate', 20, 21), // far later: a new incident
      ],
      { gapToleranceMs: hour, ids },
    );
    expect(incidents).toHaveLength(3);
    const [ops, business, later] = incidents;
    expect(ops).toMatchObject({ metrics: ['error_rate', 'latency_p95'], severity: 'critical', startedAt: 10 * hour, lastSeenAt: 14 * hour, status: 'open' });
    expect(ops!.anomalies).toHaveLength(3);
    expect(ops!.title).toBe('Error rate up, Latency p95 up');
    expect(business).toMatchObject({ metrics: ['mrr_churn'], title: 'Churned MRR up' });
    expect(later!.startedAt).toBe(20 * hour);
  });

  it('relates metrics by family', () => {
    expect(areMetricsRelated('failed_payments', 'mrr_churn')).toBe(true);
    expect(areMetricsRelated('error_rate', 'mrr')).toBe(false);
    expect(areMetricsRelated('custom', 'custom')).toBe(true);
    expect(areMetricsRelated('custom', 'other')).toBe(false);
  });

  it('a resolved incident is not reopened by a later anomaly', () => {
    const [first] = groupAnomaliesIntoIncidents([anomaly('error_rate', 1, 2)], { gapToleranceMs: hour, ids });
    const resolved = transitionIncident(first!, 'resolve', { actorId: 'u1', at: 3 * hour });
    const next = assignAnomalyToIncident([resolved], anomaly('error_rate', 2.5, 3), { gapToleranceMs: hour, ids });
    expect(next.created).toBe(true);
    expect(next.incidents).toHaveLength(2);
    const acknowledged = transitionIncident(first!, 'acknowledge', { actorId: 'u1', at: 3 * hour });
    const joined = assignAnomalyToIncident([acknowledged], anomaly('error_rate', 2.5, 3), { gapToleranceMs: hour, ids });
    expect(joined).toMatchObject({ created: false, incident: { status: 'acknowledged', lastSeenAt: 3 * hour } });
  });
});

describe('an anomaly a later pass extended', () => {
  const [incident] = groupAnomaliesIntoIncidents([anomaly('latency_p95', 10, 12, { severity: 'warning' })], { gapToleranceMs: hour, ids });
  const stored = { ...incident!, endedAt: null };

  it('moves its unresolved incident\'s lastSeenAt on and only raises the severity', () => {
    expect(decideContinuation(stored, { windowEnd: 30 * hour, severity: 'critical' })).toEqual({ kind: 'extend', lastSeenAt: 30 * hour, severity: 'critical', clearEnded: false });
    expect(decideContinuation(stored, { windowEnd: 11 * hour, severity: 'info' })).toEqual({ kind: 'extend', lastSeenAt: 12 * hour, severity: 'warning', clearEnded: false });
    const acknowledged = { ...transitionIncident(incident!, 'acknowledge', { actorId: 'u1', at: 13 * hour }), endedAt: null };
    expect(decideContinuation(acknowledged, { windowEnd: 20 * hour, severity: 'warning' })).toMatchObject({ kind: 'extend', lastSeenAt: 20 * hour });
  });

  it('un-ends an incident marked ended while the anomaly was in fact still going, and leaves an ended one alone otherwise', () => {
    const ended = { ...stored, endedAt: 12 * hour };
    expect(decideContinuation(ended, { windowEnd: 50 * hour, severity: 'warning' })).toMatchObject({ kind: 'extend', clearEnded: true });
    expect(decideContinuation(ended, { windowEnd: 12 * hour, severity: 'critical' })).toMatchObject({ kind: 'extend', clearEnded: false, severity: 'critical' });
  });

  it('leaves a resolved incident resolved: a continuation after the resolution is grouped again, an extension before it changes nothing', () => {
    const resolved = { ...transitionIncident(incident!, 'resolve', { actorId: 'u1', at: 20 * hour }), endedAt: null };
    expect(decideContinuation(resolved, { windowEnd: 26 * hour, severity: 'warning' })).toEqual({ kind: 'regroup' });
    expect(decideContinuation(resolved, { windowEnd: 18 * hour, severity: 'critical' })).toEqual({ kind: 'ignore' });
  });
});

describe('incident lifecycle', () => {
  const [incident] = groupAnomaliesIntoIncidents([anomaly('error_rate', 1, 2)], { gapToleranceMs: hour, ids });

  it('open -> acknowledged -> resolved records who and when', () => {
    const acknowledged = transitionIncident(incident!, 'acknowledge', { actorId: 'u1', at: 5 });
    expect(acknowledged).toMatchObject({ status: 'acknowledged', acknowledgedById: 'u1', acknowledgedAt: 5 });
    const resolved = transitionIncident(acknowledged, 'resolve', { actorId: 'u2', at: 9 });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedById: 'u2', resolvedAt: 9, acknowledgedById: 'u1' });
    expect(transitionIncident(incident!, 'resolve', { actorId: 'u3', at: 7 }).status).toBe('resolved');
  });

  it('rejects invalid transitions with CONFLICT', () => {
    const acknowledged = transitionIncident(incident!, 'acknowledge', { actorId: 'u1', at: 5 });
    const resolved = transitionIncident(acknowledged, 'resolve', { actorId: 'u1', at: 6 });
    expect(() => transitionIncident(acknowledged, 'acknowledge', { actorId: 'u1', at: 7 })).toThrow(AppError);
    expect(() => transitionIncident(resolved, 'resolve', { actorId: 'u1', at: 7 })).toThrow(/already resolved/);
    try {
      transitionIncident(resolved, 'acknowledge', { actorId: 'u1', at: 7 });
    } catch (error) {
      expect((error as AppError).code).toBe('CONFLICT');
    }
    expect.assertions(3);
  });
});

describe('incident titles', () => {
  it('name watched series by their metric definition, with the plan when there is one', () => {
    expect(describeMetricName('latency_p95')).toBe('Latency p95');
    expect(describeMetricName('failed_payments')).toBe('Failed payments');
    expect(describeMetricName('something_new')).toBe('something_new');
    const anomaly = { metric: 'churned_customers', segment: 'growth', direction: 'up' } as AnomalyRecord;
    expect(buildIncidentTitle([anomaly, { ...anomaly }, { ...anomaly, metric: 'latency_p95', segment: '' }])).toBe(
      'Churned customers (growth) up, Latency p95 up',
    );
  });
});
