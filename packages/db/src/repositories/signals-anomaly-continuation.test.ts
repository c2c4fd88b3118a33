import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger, type EventBus } from '@opspilot/core/ports';
import { changeIncidentStatus, findDetectionSeries, runDetection, type NewAnomaly, type SignalsDeps } from '@opspilot/core/signals';
import type { Database } from '../client';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, describePostgres } from '../testing/test-databases';
import { createSignalsStores } from './signals-repositories';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;
const stepMs = 5 * minuteMs;
/** A week of calm 5-minute latency from here, then it doubles at `shiftAt` and stays there. */
const historyStart = Date.UTC(2026, 10, 10);
const shiftAt = historyStart + 7 * dayMs;
const latency = findDetectionSeries('latency_p95')!;

/** Calm latency around 200 ms (deterministic noise of ±10 ms), 400 ms from the shift on. */
function latencyAt(ts: number): number {
  const index = (ts - historyStart) / stepMs;
  const noise = Math.sin(index * 12.9898) * 43758.5453;
  return (ts >= shiftAt ? 400 : 200) + 20 * (noise - Math.floor(noise) - 0.5);
}

type Deps = SignalsDeps & { published: unknown[]; setNow: (at: number) => void };

function createDeps(db: Database): Deps {
  const published: unknown[] = [];
  let now = historyStart;
  const eventBus: EventBus = { publish: async (_topic, payload) => void published.push(payload), subscribe: async () => async () => undefined };
  return { ...createSignalsStores(db), eventBus, logger: silentLogger, clock: { now: () => new Date(now) }, published, setNow: (at) => (now = at) };
}

async function createWorkspace(db: Database, id: string): Promise<void> {
  await db.execute(`INSERT INTO "Workspace" ("id", "name", "slug", "updatedAt") VALUES ($1, $1, $1, now())`, [id]);
}

/** Stores the 5-minute latency points in [from, to), as telemetry ingestion does. */
async function ingestLatency(db: Database, workspaceId: string, from: number, to: number): Promise<void> {
  const data = [];
  for (let ts = from; ts < to; ts += stepMs) data.push({ workspaceId, metric: 'api_latency_p95_ms', interval: '5m', segment: '', ts: new Date(ts), value: latencyAt(ts) });
  await db.prisma.metricPoint.createMany({ data });
}

/** A detection pass over the latency series with the clock at `at` (the background runner's call, with a short lookback). */
async function detectAt(deps: Deps, workspaceId: string, at: number) {
  deps.setNow(at);
  return runDetection(deps, { workspaceId, now: new Date(at), lookbackDays: 30, series: [latency] });
}

async function readState(deps: Deps, workspaceId: string) {
  const anomalies = await deps.anomalies.listAnomalies(workspaceId, { limit: 100, metric: 'latency_p95' });
  const incidents = await deps.anomalies.listIncidents(workspaceId, { limit: 100 });
  return { anomalies, incidents };
}

function anomalyAt(windowEnd: number, overrides: Partial<NewAnomaly> = {}): NewAnomaly {
  return {
    metric: 'latency_p95', segment: '', detector: 'test', windowStart: new Date(shiftAt), windowEnd: new Date(windowEnd),
    expected: 200, lower: 150, upper: 250, actual: 400, score: 0.9, direction: 'up', severity: 'warning', ...overrides,
  };
}

function describeContinuation(name: string, open: () => Promise<Database>) {
  describe(`a regression still going across detection passes (${name})`, () => {
    let db: Database;
    let deps: Deps;
    beforeAll(async () => {
      db = await open();
      deps = createDeps(db);
    });
    afterAll(async () => db?.close());

    it('extends its anomaly and keeps one incident open while it lasts; accepted as the new normal after 24 h, it ends there', async () => {
      const workspaceId = `ws-continue-${name}`;
      await createWorkspace(db, workspaceId);
      await ingestLatency(db, workspaceId, historyStart, shiftAt + 2 * hourMs);
      const first = await detectAt(deps, workspaceId, shiftAt + 2 * hourMs);
      expect(first).toMatchObject({ anomaliesStored: 1, anomaliesExtended: 0, incidentsOpened: 1 });
      const before = await readState(deps, workspaceId);
      expect(before.anomalies.map((anomaly) => anomaly.windowEnd)).toEqual([new Date(shiftAt + 2 * hourMs)]);
      expect(before.incidents.map((incident) => incident.lastSeenAt)).toEqual([new Date(shiftAt + 2 * hourMs)]);

      await ingestLatency(db, workspaceId, shiftAt + 2 * hourMs, shiftAt + 20 * hourMs);
      const second = await detectAt(deps, workspaceId, shiftAt + 20 * hourMs);
      expect(second).toMatchObject({ anomaliesStored: 0, anomaliesExtended: 1, incidentsOpened: 0, incidentsUpdated: 1 });
      const during = await readState(deps, workspaceId);
      expect(during.anomalies).toHaveLength(1);
      expect(during.anomalies[0]).toMatchObject({ id: before.anomalies[0]!.id, windowStart: new Date(shiftAt), windowEnd: new Date(shiftAt + 20 * hourMs), levelShiftAcceptedAt: null });
      expect(during.incidents).toHaveLength(1);
      expect(during.incidents[0]).toMatchObject({ id: before.incidents[0]!.id, lastSeenAt: new Date(shiftAt + 20 * hourMs), endedAt: null, status: 'open' });

      // 40 h in: a frozen anomaly (last seen 2 h in) would have been quiet for 38 h and its incident marked ended.
      await ingestLatency(db, workspaceId, shiftAt + 20 * hourMs, shiftAt + 40 * hourMs);
      const third = await detectAt(deps, workspaceId, shiftAt + 40 * hourMs);
      expect(third).toMatchObject({ anomaliesStored: 0, anomaliesExtended: 1, incidentsOpened: 0 });
      const accepted = await readState(deps, workspaceId);
      expect(accepted.anomalies).toHaveLength(1);
      expect(accepted.anomalies[0]).toMatchObject({ windowEnd: new Date(shiftAt + 24 * hourMs), levelShiftAcceptedAt: new Date(shiftAt + 24 * hourMs - stepMs) });
      expect(accepted.incidents).toHaveLength(1);
      expect(accepted.incidents[0]).toMatchObject({ lastSeenAt: new Date(shiftAt + 24 * hourMs), endedAt: null, status: 'open' });
      expect(accepted.incidents[0]!.summary).toMatch(/^Latency p95 up: .* ms vs expected .*; accepted as the new normal after 24 h$/);

      // The new normal is quiet: 36 h after the acceptance the incident has ended (it stays open until someone resolves it).
      await ingestLatency(db, workspaceId, shiftAt + 40 * hourMs, shiftAt + 61 * hourMs);
      const fourth = await detectAt(deps, workspaceId, shiftAt + 61 * hourMs);
      expect(fourth).toMatchObject({ anomaliesStored: 0, anomaliesExtended: 0, incidentsOpened: 0 });
      const after = await readState(deps, workspaceId);
      expect(after.incidents).toHaveLength(1);
      expect(after.incidents[0]).toMatchObject({ endedAt: new Date(shiftAt + 24 * hourMs), status: 'open' });
      const opened = deps.published.filter((payload) => (payload as { type?: string }).type === 'incident-opened');
      expect(opened).toHaveLength(1);
    });

    it('leaves an incident a person resolved resolved; the regression going on after it opens one new incident', async () => {
      const workspaceId = `ws-resolved-${name}`;
      await createWorkspace(db, workspaceId);
      await ingestLatency(db, workspaceId, historyStart, shiftAt + 2 * hourMs);
      await detectAt(deps, workspaceId, shiftAt + 2 * hourMs);
      const [first] = (await readState(deps, workspaceId)).incidents;
      deps.setNow(shiftAt + 3 * hourMs);
      await changeIncidentStatus(deps, workspaceId, { incidentId: first!.id, to: 'resolved', actorId: 'user-1' });

      await ingestLatency(db, workspaceId, shiftAt + 2 * hourMs, shiftAt + 10 * hourMs);
      const second = await detectAt(deps, workspaceId, shiftAt + 10 * hourMs);
      expect(second).toMatchObject({ anomaliesStored: 0, anomaliesExtended: 1, incidentsOpened: 1 });
      const state = await readState(deps, workspaceId);
      const resolved = state.incidents.find((incident) => incident.id === first!.id);
      expect(resolved).toMatchObject({ status: 'resolved', resolvedById: 'user-1', resolvedAt: new Date(shiftAt + 3 * hourMs), lastSeenAt: new Date(shiftAt + 2 * hourMs) });
      const continuation = state.incidents.find((incident) => incident.id !== first!.id);
      expect(continuation).toMatchObject({ status: 'open', lastSeenAt: new Date(shiftAt + 10 * hourMs), endedAt: null, title: 'Latency p95 up' });
      expect(state.anomalies.map((anomaly) => anomaly.incidentId)).toEqual([continuation!.id]);

      // The next pass extends the continuation, and opens nothing more.
      await ingestLatency(db, workspaceId, shiftAt + 10 * hourMs, shiftAt + 12 * hourMs);
      const third = await detectAt(deps, workspaceId, shiftAt + 12 * hourMs);
      expect(third).toMatchObject({ anomaliesExtended: 1, incidentsOpened: 0, incidentsUpdated: 1 });
      const later = await readState(deps, workspaceId);
      expect(later.incidents).toHaveLength(2);
      expect(later.incidents.find((incident) => incident.id === continuation!.id)!.lastSeenAt).toEqual(new Date(shiftAt + 12 * hourMs));
      expect(later.incidents.find((incident) => incident.id === first!.id)!.status).toBe('resolved');
    });

    it('an upsert never shortens an anomaly or lowers its severity or peak, and a re-run changes nothing', async () => {
      const workspaceId = `ws-upsert-${name}`;
      await createWorkspace(db, workspaceId);
      const { created } = await deps.anomalies.upsertAnomalies(workspaceId, [anomalyAt(shiftAt + 2 * hourMs)]);
      expect(created).toHaveLength(1);
      expect(await deps.anomalies.upsertAnomalies(workspaceId, [anomalyAt(shiftAt + 2 * hourMs)])).toEqual({ created: [], extended: [] });
      const weaker = anomalyAt(shiftAt + hourMs, { severity: 'info', score: 0.6, actual: 300 });
      expect(await deps.anomalies.upsertAnomalies(workspaceId, [weaker])).toEqual({ created: [], extended: [] });

      const longerButWeaker = await deps.anomalies.upsertAnomalies(workspaceId, [anomalyAt(shiftAt + 5 * hourMs, { severity: 'info', score: 0.6, actual: 300 })]);
      expect(longerButWeaker.extended).toHaveLength(1);
      expect(longerButWeaker.extended[0]).toMatchObject({
        id: created[0]!.id, windowEnd: new Date(shiftAt + 5 * hourMs), severity: 'warning', score: 0.9, actual: 400,
        before: { windowEnd: new Date(shiftAt + 2 * hourMs), severity: 'warning', score: 0.9, actual: 400 },
      });
      const stronger = await deps.anomalies.upsertAnomalies(workspaceId, [anomalyAt(shiftAt + 3 * hourMs, { severity: 'critical', score: 0.95, actual: 520, expected: 210 })]);
      expect(stronger.extended[0]).toMatchObject({ windowEnd: new Date(shiftAt + 5 * hourMs), severity: 'critical', score: 0.95, actual: 520, expected: 210 });
      const stored = await deps.anomalies.listAnomalies(workspaceId, { limit: 10 });
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ windowEnd: new Date(shiftAt + 5 * hourMs), severity: 'critical', actual: 520, createdAt: created[0]!.createdAt });
      // The first pass that inserted it still answers it as new through insertAnomalies; later ones do not.
      expect(await deps.anomalies.insertAnomalies(workspaceId, [anomalyAt(shiftAt + 6 * hourMs)])).toEqual([]);
    });
  });
}

describeContinuation('PGlite', () => createEmbeddedTestDatabase());

describePostgres('PostgreSQL', () => {
  describeContinuation('PostgreSQL', () => createPostgresTestDatabase());

  describe('two detection passes racing on PostgreSQL', () => {
    let db: Database;
    let deps: Deps;
    beforeAll(async () => {
      db = await createPostgresTestDatabase();
      deps = createDeps(db);
    });
    afterAll(async () => db?.close());

    it('leave one anomaly row per episode with the later end, whichever commits first', async () => {
      const workspaceId = 'ws-race-upsert';
      await createWorkspace(db, workspaceId);
      for (let round = 0; round < 20; round += 1) {
        const start = new Date(shiftAt + round * dayMs);
        const early = anomalyAt(start.getTime() + hourMs, { windowStart: start, severity: 'critical', score: 0.97 });
        const late = anomalyAt(start.getTime() + 9 * hourMs, { windowStart: start, severity: 'warning', score: 0.8 });
        const pair = round % 2 === 0 ? [early, late] : [late, early];
        const results = await Promise.all(pair.map((anomaly) => deps.anomalies.upsertAnomalies(workspaceId, [anomaly])));
        expect(results.flatMap((result) => result.created), `round ${round}`).toHaveLength(1);
      }
      const rows = await deps.anomalies.listAnomalies(workspaceId, { limit: 100 });
      expect(rows).toHaveLength(20);
      for (const row of rows) expect(row).toMatchObject({ windowEnd: new Date(row.windowStart.getTime() + 9 * hourMs), severity: 'critical', score: 0.97 });
    });

    it('two whole passes at different clocks store one anomaly with the later end and open one incident', async () => {
      const workspaceId = 'ws-race-passes';
      await createWorkspace(db, workspaceId);
      await ingestLatency(db, workspaceId, historyStart, shiftAt + 20 * hourMs);
      await Promise.all([detectAt(deps, workspaceId, shiftAt + 2 * hourMs), detectAt(deps, workspaceId, shiftAt + 20 * hourMs)]);
      const state = await readState(deps, workspaceId);
      expect(state.anomalies).toHaveLength(1);
      expect(state.anomalies[0]!.windowEnd).toEqual(new Date(shiftAt + 20 * hourMs));
      // Whichever pass stored it first grouped it, and the incident has caught up with the anomaly's end.
      expect(state.incidents.map((incident) => incident.lastSeenAt)).toEqual([new Date(shiftAt + 20 * hourMs)]);
      expect(state.anomalies[0]!.incidentId).toBe(state.incidents[0]!.id);
    });
  });
});
