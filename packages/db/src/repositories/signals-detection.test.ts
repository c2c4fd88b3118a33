import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateDemoDataset, groundTruthFor, normaliseAnchor, type DemoDataset } from '@opspilot/core/demo';
import { isAppError } from '@opspilot/core/errors';
import { silentLogger, type EventBus } from '@opspilot/core/ports';
import { changeIncidentStatus, computeMetricSeries, readMetricSeries, runDetection, type MetricFacts } from '@opspilot/core/signals';
import { openDatabase, type Database } from '../client';
import { inMemoryDataDir } from '../config';
import { applyMigrations } from '../migrate/apply-migrations';
import { seedDemo } from '../seed';
import { createSignalsStores } from './signals-repositories';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 300_000 });

const now = new Date('2026-11-25T08:00:00Z');
const anchor = normaliseAnchor(now);
const dayMs = 86_400_000;

function createBus(): EventBus & { published: { topic: string; payload: unknown }[] } {
  const published: { topic: string; payload: unknown }[] = [];
  return { published, publish: async (topic, payload) => void published.push({ topic, payload }), subscribe: async () => async () => undefined };
}

describe('signals on the seeded demo business (PGlite)', () => {
  let db: Database;
  let workspaceId: string;
  let dataset: DemoDataset;
  const bus = createBus();
  let deps: ReturnType<typeof createSignalsStores> & { eventBus: EventBus; logger: typeof silentLogger; clock: { now: () => Date } };

  beforeAll(async () => {
    db = await openDatabase({ mode: 'embedded', dataDir: inMemoryDataDir });
    await applyMigrations(db);
    workspaceId = (await seedDemo(db, { now })).workspaceId;
    dataset = generateDemoDataset({ now });
    deps = { ...createSignalsStores(db), eventBus: bus, logger: silentLogger, clock: { now: () => now } };
    await runDetection(deps, { workspaceId, now: anchor });
  });
  afterAll(async () => db?.close());

  it('detects each planted incident inside its window, in exactly one incident, with few false alarms', async () => {
    const anomalies = await deps.anomalies.listAnomalies(workspaceId, { limit: 1000 });
    const incidents = await deps.anomalies.listIncidents(workspaceId, { limit: 100 });
    const truth = groundTruthFor(anchor);
    for (const window of truth) {
      const hits = anomalies.filter(
        (anomaly) => anomaly.metric === window.metric && anomaly.segment === window.segment && anomaly.windowStart >= window.start && anomaly.windowStart < window.end,
      );
      expect(hits.length, `${window.id} detected`).toBeGreaterThan(0);
      const incidentIds = new Set(hits.map((anomaly) => anomaly.incidentId));
      expect([...incidentIds], `${window.id} grouped`).toHaveLength(1);
      const overlapping = incidents.filter((incident) => incident.metrics.includes(window.metric) && incident.startedAt < window.end && incident.lastSeenAt >= window.start);
      expect(overlapping.map((incident) => incident.id), `${window.id} opens one incident`).toEqual([...incidentIds]);
    }
    // A false alarm: an incident touching no planted window (with a day of slack for daily effects that lag).
    const falseAlarms = incidents.filter(
      (incident) => !truth.some((window) => incident.startedAt.getTime() < window.end.getTime() + dayMs && incident.lastSeenAt.getTime() >= window.start.getTime() - dayMs),
    );
    const falseAnomalies = anomalies.filter((anomaly) => !truth.some((window) => anomaly.windowStart.getTime() < window.end.getTime() + dayMs && anomaly.windowEnd.getTime() > window.start.getTime() - dayMs));
    console.log(
      `demo detection: ${anomalies.length} anomalies, ${incidents.length} incidents, false-alarm incidents over the year: ${falseAlarms.length}, anomalies outside planted windows: ${falseAnomalies.length}`,
      falseAlarms.map((incident) => `${incident.startedAt.toISOString()} ${incident.title}`),
    );
    expect(falseAlarms.length).toBeLessThanOrEqual(4);
    // Every planted incident is over by the anchor, so each incident has ended (and stays open until resolved).
    expect(incidents.every((incident) => incident.status === 'open' && incident.endedAt !== null)).toBe(true);
    const published = bus.published.filter((message) => message.topic === `anomalies:${workspaceId}`);
    const typeOf = (message: (typeof published)[number]) => (message.payload as { type?: string } | null)?.type;
    expect(published.filter((message) => typeOf(message) === 'anomaly-created')).toHaveLength(anomalies.length);
    expect(published.filter((message) => typeOf(message) === 'incident-opened')).toHaveLength(incidents.length);
  });

  it('is idempotent: a second run stores nothing new', async () => {
    const summary = await runDetection(deps, { workspaceId, now: anchor });
    expect(summary.anomaliesStored).toBe(0);
    expect(summary.incidentsOpened).toBe(0);
  });

  it('stores anomaly values in the series\' own units: a churn anomaly\'s actual is a real 7-day churn count of its plan', async () => {
    const window = groundTruthFor(anchor).find((candidate) => candidate.metric === 'churned_customers')!;
    const churnDays = dataset.mrrChanges
      .filter((change) => change.mrrBefore > 0 && change.mrrAfter === 0 && change.planKey === window.segment)
      .map((change) => Math.floor(change.occurredAt.getTime() / dayMs) * dayMs);
    /** Churns of the plan in the 7 days ending with `day` (the trailing sum detection judges). */
    const weeklyChurnEnding = (day: number) => churnDays.filter((churnDay) => churnDay > day - 7 * dayMs && churnDay <= day).length;
    const anomalies = await deps.anomalies.listAnomalies(workspaceId, { limit: 1000, metric: 'churned_customers' });
    const planted = anomalies.filter((anomaly) => anomaly.segment === window.segment && anomaly.windowStart >= window.start && anomaly.windowStart < window.end);
    expect(planted.length).toBeGreaterThan(0);
    for (const anomaly of planted) {
      // actual is taken at the episode's strongest day, one of the days it spans.
      const episodeDays = [];
      for (let day = anomaly.windowStart.getTime(); day < anomaly.windowEnd.getTime(); day += dayMs) episodeDays.push(weeklyChurnEnding(day));
      expect(episodeDays).toContain(anomaly.actual);
      expect(Number.isInteger(anomaly.actual)).toBe(true);
      expect(anomaly.actual - anomaly.expected).toBeGreaterThanOrEqual(3);
      expect(0 <= anomaly.lower && anomaly.lower <= anomaly.expected && anomaly.expected <= anomaly.upper && anomaly.upper < anomaly.actual).toBe(true);
    }
    const incident = (await deps.anomalies.listIncidents(workspaceId, { limit: 100 })).find((candidate) => candidate.metrics.includes('churned_customers'))!;
    expect(incident.title).toContain(`Churned customers (${window.segment}) up`);
    expect(incident.summary).toContain(`Churned customers (${window.segment}) up: ${planted[0]!.actual} vs expected`);
  });

  it('moves an incident open -> acknowledged -> resolved and refuses repeats and strangers', async () => {
    const [incident] = await deps.anomalies.listIncidents(workspaceId, { limit: 1, status: 'open' });
    expect(incident).toBeDefined();
    const change = (to: 'acknowledged' | 'resolved', id = incident!.id, workspace = workspaceId) =>
      changeIncidentStatus(deps, workspace, { incidentId: id, to, actorId: 'user-1' }).then((result) => result.status, (error: unknown) => (isAppError(error) ? error.code : String(error)));
    expect(await change('acknowledged')).toBe('acknowledged');
    expect(await change('acknowledged')).toBe('CONFLICT');
    expect(await change('resolved', incident!.id, 'ws-someone-else')).toBe('NOT_FOUND');
    expect(await change('resolved')).toBe('resolved');
    expect(await change('resolved')).toBe('CONFLICT');
    expect(await change('acknowledged', 'no-such-incident')).toBe('NOT_FOUND');
    const detail = await deps.anomalies.findIncident(workspaceId, incident!.id);
    expect(detail).toMatchObject({ status: 'resolved', acknowledgedById: 'user-1', resolvedById: 'user-1' });
    expect(detail!.anomalies.length).toBeGreaterThan(0);
  });

  it('answers metrics equal to core computing on the raw demo facts', async () => {
    const facts: MetricFacts = {
      mrrChanges: dataset.mrrChanges,
      invoices: dataset.invoices,
      tickets: dataset.supportTickets,
      points: dataset.metricSeries
        .filter((series) => series.metric === 'api_requests' || series.metric === 'api_errors')
        .flatMap((series) => series.values.map((value, index) => ({ metric: series.metric.slice(4), ts: new Date(series.start.getTime() + index * series.stepMinutes * 60_000), value }))),
    };
    const cases = [
      { metric: 'mrr', from: new Date(anchor.getTime() - 365 * dayMs), to: anchor, interval: 'day' as const },
      { metric: 'nrr', from: new Date(anchor.getTime() - 200 * dayMs), to: anchor, interval: 'month' as const },
      { metric: 'mrr', from: new Date(anchor.getTime() - 120 * dayMs), to: anchor, interval: 'week' as const, segment: 'growth' },
      { metric: 'failed_payments', from: new Date(anchor.getTime() - 90 * dayMs), to: anchor, interval: 'week' as const },
      { metric: 'ticket_volume', from: new Date(anchor.getTime() - 60 * dayMs), to: anchor, interval: 'day' as const },
      { metric: 'request_rate', from: new Date(anchor.getTime() - 30 * dayMs + 3_600_000), to: anchor, interval: 'day' as const },
      { metric: 'error_rate', from: new Date(anchor.getTime() - 100 * dayMs), to: anchor, interval: 'month' as const },
    ];
    for (const input of cases) {
      const served = await readMetricSeries(deps, workspaceId, input);
      const expected = computeMetricSeries(facts, input);
      expect(served.points.map((point) => point.value), input.metric).toEqual(expected.points.map((point) => point.value));
      expect(served.definition).toEqual(expected.definition);
    }
  });
});
