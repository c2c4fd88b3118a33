import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetricSeries, type AnomalyNotification, type NewAnomaly } from '@opspilot/core/signals';
import { asKey, asUser, callRest, createTestCaller, createTestRuntime, signUpTestUser } from '../auth/testing';
import type { Runtime } from '../runtime';
import { runSignalsDetection, signalsDepsOf } from './signals-support';

const dayMs = 86_400_000;
const start = Date.UTC(2026, 0, 5);

function signup(index: number) {
  return { id: `su-${index}`, type: 'signup', source: 'app', occurredAt: new Date(start + (index % 10) * dayMs + 3_600_000).toISOString(), properties: { plan: 'trial' } };
}

function anomaly(metric: string, windowStart: Date): NewAnomaly {
  return { metric, segment: '', detector: 'test', windowStart, windowEnd: new Date(windowStart.getTime() + 300_000), expected: 200, lower: 150, upper: 250, actual: 460, score: 0.9, direction: 'up', severity: 'critical' };
}

describe('signals router', () => {
  let runtime: Runtime;
  let workspaceId: string;
  let writeKey: string;
  let readKey: string;
  let owner: Awaited<ReturnType<typeof createTestCaller>>;

  beforeAll(async () => {
    runtime = await createTestRuntime();
    owner = await createTestCaller(runtime, asUser(await signUpTestUser(runtime, 'Signals')));
    workspaceId = (await owner.workspace.create({ name: 'Signals Co' })).id;
    writeKey = (await owner.apiKey.create({ workspaceId, name: 'writer', scopes: ['read', 'write'] })).secret;
    readKey = (await owner.apiKey.create({ workspaceId, name: 'reader', scopes: ['read'] })).secret;
  });
  afterAll(async () => runtime?.close());

  const rest = (method: string, path: string, key: string, body?: unknown) => callRest(runtime, { method, path, key, body });

  it('ingests through tRPC with dedup and per-item errors; viewers may not ingest', async () => {
    const writer = await createTestCaller(runtime, asKey(writeKey));
    const events = Array.from({ length: 40 }, (_, index) => signup(index));
    expect(await writer.signals.ingest({ workspaceId, events })).toEqual({ accepted: 40, duplicates: 0, rejected: 0, errors: [] });
    const replay = await writer.signals.ingest({ workspaceId, events: [...events.slice(0, 5), { id: 'broken' }] });
    expect(replay).toMatchObject({ accepted: 0, duplicates: 5, rejected: 1, errors: [{ index: 5, id: 'broken' }] });
    const reader = await createTestCaller(runtime, asKey(readKey));
    await expect(reader.signals.ingest({ workspaceId, events })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('ingests over REST and refuses 5,001 events with 413 and malformed batches with 400, storing nothing', async () => {
    const ok = await rest('POST', `/v1/workspaces/${workspaceId}/signals/events`, writeKey, { events: [signup(100)] });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ accepted: 1 });
    const before = await runtime.db.prisma.signalEvent.count({ where: { workspaceId } });
    const huge = Array.from({ length: 5001 }, (_, index) => ({ id: `h${index}`, type: 'x', source: 's', occurredAt: '2026-01-01T00:00:00Z' }));
    const tooMany = await rest('POST', `/v1/workspaces/${workspaceId}/signals/events`, writeKey, { events: huge });
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as { message: string }).message).toMatch(/at most 5000 events/);
    expect((await rest('POST', `/v1/workspaces/${workspaceId}/signals/events`, writeKey, { events: 'nope' })).status).toBe(400);
    expect((await rest('POST', `/v1/workspaces/${workspaceId}/signals/events`, writeKey, { events: [signup(200), { id: 1 }], atomic: true })).status).toBe(400);
    expect(await runtime.db.prisma.signalEvent.count({ where: { workspaceId } })).toBe(before);
  });

  it('counts active users from events ingested over REST (actorId or properties.userId), one actor once per period', async () => {
    const day = (offset: number, hour: number) => new Date(start + offset * dayMs + hour * 3_600_000).toISOString();
    const view = (id: string, occurredAt: string, actor: Record<string, unknown>) => ({ id, type: 'page.viewed', source: 'app', occurredAt, properties: {}, ...actor });
    const events = [
      view('au-1', day(0, 9), { actorId: 'alice' }), view('au-2', day(0, 10), { properties: { userId: 'bob' } }),
      view('au-3', day(1, 9), { actorId: 'alice' }), view('au-4', day(6, 22), { actorId: 'carol' }), view('au-5', day(2, 9), {}),
      view('au-6', day(3, 9), { properties: { userId: { id: 'dave' } } }),
    ];
    const response = await rest('POST', `/v1/workspaces/${workspaceId}/signals/events`, writeKey, { events });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { accepted: number; rejected: number; errors: { id: string; issues: { path: string }[] }[] };
    expect(result).toMatchObject({ accepted: 5, rejected: 1, errors: [{ id: 'au-6', issues: [{ path: 'properties.userId' }] }] });
    const range = `from=${new Date(start).toISOString()}&to=${new Date(start + 7 * dayMs).toISOString()}`;
    const daily = (await (await rest('GET', `/v1/workspaces/${workspaceId}/signals/metrics?metric=active_users&${range}&interval=day`, readKey)).json()) as { points: { value: number }[] };
    expect(daily.points.map((point) => point.value)).toEqual([2, 1, 0, 0, 0, 0, 1]);
    const weekly = await owner.signals.metrics({ workspaceId, metric: 'active_users', from: new Date(start), to: new Date(start + 7 * dayMs), interval: 'week' });
    expect(weekly.points.map((point) => point.value)).toEqual([3]);
    expect(weekly.definition).toMatchObject({ key: 'active_users', version: 2 });
  });

  it('serves metrics with their definition, equal to core computing on the same facts (tRPC and REST)', async () => {
    const from = new Date(start);
    const to = new Date(start + 14 * dayMs);
    const served = await owner.signals.metrics({ workspaceId, metric: 'signups', from, to, interval: 'day' });
    const customers = Array.from({ length: 40 }, (_, index) => signup(index)).concat(signup(100)).map((event, index) => ({ customerId: String(index), createdAt: new Date(event.occurredAt) }));
    const expected = computeMetricSeries({ mrrChanges: [], customers }, { metric: 'signups', from, to, interval: 'day' });
    expect(served.points.map((point) => point.value)).toEqual(expected.points.map((point) => point.value));
    expect(served.definition).toMatchObject({ key: 'signups', version: 1, formula: 'customers created in period' });
    const response = await rest('GET', `/v1/workspaces/${workspaceId}/signals/metrics?metric=signups&from=${from.toISOString()}&to=${to.toISOString()}&interval=week`, readKey);
    expect(response.status).toBe(200);
    const weekly = (await response.json()) as { points: { value: number }[] };
    expect(weekly.points.reduce((total, point) => total + point.value, 0)).toBe(41);
    expect((await rest('GET', `/v1/workspaces/${workspaceId}/signals/metrics?metric=nope&from=${from.toISOString()}&to=${to.toISOString()}`, readKey)).status).toBe(404);
    expect((await owner.signals.definitions({ workspaceId })).map((definition) => definition.key)).toContain('mrr');
  });

  it('says when a sustained shift was accepted as the new normal, and null while it was not', async () => {
    const deps = signalsDepsOf(runtime);
    const shifted = (await owner.workspace.create({ name: 'Shifted Co' })).id;
    const acceptedAt = new Date(start - 86_400_000);
    const acceptedStart = new Date(acceptedAt.getTime() - 86_400_000);
    await deps.anomalies.insertAnomalies(shifted, [
      { ...anomaly('error_rate', acceptedStart), windowEnd: acceptedAt, levelShiftAcceptedAt: acceptedAt },
      anomaly('error_rate', new Date(start - 7 * 86_400_000)),
    ]);
    const listed = (await owner.signals.anomalies({ workspaceId: shifted, limit: 10 })).items;
    expect(listed.map((item) => [item.windowStart, item.levelShiftAcceptedAt])).toEqual([
      [acceptedStart.toISOString(), acceptedAt.toISOString()],
      [new Date(start - 7 * 86_400_000).toISOString(), null],
    ]);
  });

  it('lists anomalies and incidents and moves an incident through its lifecycle (member role)', async () => {
    const deps = signalsDepsOf(runtime);
    const [stored] = await deps.anomalies.insertAnomalies(workspaceId, [anomaly('latency_p95', new Date(start))]);
    const incident = await deps.anomalies.createIncident(workspaceId, { title: 'Latency up', summary: '', severity: 'critical', metrics: ['latency_p95'], startedAt: new Date(start), lastSeenAt: new Date(start), endedAt: null });
    await deps.anomalies.attachAnomalies(workspaceId, incident.id, [stored!.id]);
    const listed = await rest('GET', `/v1/workspaces/${workspaceId}/signals/anomalies?limit=10`, readKey);
    expect(((await listed.json()) as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([stored!.id]);
    const detail = await owner.signals.incident({ workspaceId, incidentId: incident.id });
    expect(detail.anomalies).toHaveLength(1);
    // Values are in the series' own units, and the output says which.
    expect(detail.anomalies[0]).toMatchObject({ metric: 'latency_p95', metricName: 'Latency p95', unit: 'milliseconds', valueWindow: null });
    expect(detail.series.map((series) => series.metric)).toEqual(['latency_p95']);
    expect(detail.metricNames).toEqual(['Latency p95']); // the console's incident list shows names, not keys
    const panel = await owner.ui.panelData({ workspaceId, query: { kind: 'incidents', status: 'all', incidentId: incident.id, limit: 1 } });
    expect(panel.kind === 'incidents' ? panel.incidents[0]?.series.map(({ label, unit }) => ({ label, unit })) : null).toEqual([{ label: 'Latency p95', unit: 'milliseconds' }]);
    const reader = await createTestCaller(runtime, asKey(readKey));
    await expect(reader.signals.acknowledge({ workspaceId, incidentId: incident.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const writer = await createTestCaller(runtime, asKey(writeKey));
    expect((await writer.signals.acknowledge({ workspaceId, incidentId: incident.id })).status).toBe('acknowledged');
    await expect(writer.signals.acknowledge({ workspaceId, incidentId: incident.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await rest('POST', `/v1/workspaces/${workspaceId}/signals/incidents/${incident.id}/resolve`, writeKey, {})).status).toBe(200);
    expect((await owner.signals.incidents({ workspaceId, status: 'resolved' })).items.map((item) => item.id)).toEqual([incident.id]);
    await expect(owner.signals.resolve({ workspaceId, incidentId: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('draws an anomaly judged on a 3-day sum at the daily chart\'s value, not at the sum', async () => {
    const day = Math.floor(runtime.clock.now().getTime() / dayMs) * dayMs - 3 * dayMs;
    const events = [0, 1, 2].map((index) => ({ id: `recent-${index}`, type: 'signup', source: 'app', occurredAt: new Date(day + 3_600_000).toISOString() }));
    const writer = await createTestCaller(runtime, asKey(writeKey));
    await writer.signals.ingest({ workspaceId, events });
    const [stored] = await signalsDepsOf(runtime).anomalies.insertAnomalies(workspaceId, [{ ...anomaly('signups', new Date(day)), actual: 70, direction: 'down' }]);
    const panel = await owner.ui.panelData({ workspaceId, query: { kind: 'metric', metric: 'signups', interval: 'day', range: '30d' } });
    const markers = panel.kind === 'metric' ? panel.anomalies : [];
    expect(markers).toHaveLength(1);
    expect(markers[0]).toMatchObject({ at: new Date(day).toISOString(), value: 3, metric: 'signups' });
    await runtime.db.prisma.anomaly.delete({ where: { id: stored!.id } });
  });

  it('streams new anomalies on onAnomaly after back-filling from lastEventId', async () => {
    const deps = signalsDepsOf(runtime);
    const [first] = await deps.anomalies.insertAnomalies(workspaceId, [anomaly('error_count', new Date(start + dayMs))]);
    const stream = await owner.signals.onAnomaly({ workspaceId, lastEventId: first!.id });
    const iterator = stream[Symbol.asyncIterator]();
    const next = iterator.next();
    const [second] = await deps.anomalies.insertAnomalies(workspaceId, [anomaly('error_count', new Date(start + 2 * dayMs))]);
    const notification: AnomalyNotification = { type: 'anomaly-created', anomalyId: second!.id, metric: second!.metric, severity: second!.severity };
    await runtime.eventBus.publish(`anomalies:${workspaceId}`, notification);
    const received = await next;
    expect(received.done).toBe(false);
    // Through createCaller a tracked() event is the raw [id, data] tuple; over SSE the id becomes the event id.
    const [eventId, data] = received.value as unknown as [string, { id: string; metric: string }];
    expect(eventId).toBe(second!.id);
    expect(data).toMatchObject({ id: second!.id, metric: 'error_count' });
    await iterator.return?.();
  });

  it('runs the detection job over every workspace without failing on sparse data', async () => {
    const summaries = await runSignalsDetection(runtime, { lookbackDays: 30 });
    expect(summaries.length).toBe(await runtime.db.prisma.workspace.count());
    expect(summaries.every((summary) => summary.seriesScanned > 0)).toBe(true);
  });
});
