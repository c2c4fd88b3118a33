import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import {
  applyJsonPatch, computeExpectedBand, createExperiencePort, generateUiSpec, listPanelsInOrder, listUiSchemaHistory, patchUiSchema, planDashboardPatch,
  readUiSchema, regenerateUiSchema, rollbackUiSchema, UiSpec, type ExperienceDeps, type StoredUiSchema, type WorkspaceCapabilities,
} from './index';

const full: WorkspaceCapabilities = {
  hasBilling: true,
  metricsWithData: ['signups', 'active_users', 'error_rate', 'latency_p95', 'latency_p50', 'request_rate', 'ticket_volume'],
  openIncidents: [{ id: 'inc1', title: 'Error rate spike', severity: 'critical', metrics: ['error_count'] }],
  plans: ['starter', 'growth'],
  hasTickets: true,
  hasDeploys: true,
};
const noBilling: WorkspaceCapabilities = { ...full, hasBilling: false, openIncidents: [] };

function createMemoryDeps(capabilities: WorkspaceCapabilities): ExperienceDeps & { rows: StoredUiSchema[] } {
  const rows: StoredUiSchema[] = [];
  const of = (workspaceId: string, context: string) => rows.filter((row) => row.workspaceId === workspaceId && row.context === context).sort((a, b) => b.version - a.version);
  return {
    rows,
    clock: { now: () => new Date('2026-11-25T00:00:00Z') },
    capabilities: { readCapabilities: () => Promise.resolve(capabilities) },
    store: {
      findLatest: (workspaceId, context) => Promise.resolve(of(workspaceId, context)[0] ?? null),
      findVersion: (workspaceId, context, version) => Promise.resolve(of(workspaceId, context).find((row) => row.version === version) ?? null),
      listVersions: (workspaceId, context, limit) => Promise.resolve(of(workspaceId, context).slice(0, limit)),
      appendVersion: (record, at) => {
        if (of(record.workspaceId, record.context).some((row) => row.version === record.version)) return Promise.reject(new AppError('CONFLICT', 'taken'));
        const row = { ...record, spec: structuredClone(record.spec) as unknown, createdAt: at };
        rows.push(row);
        return Promise.resolve(row);
      },
    },
  };
}

const metricsOf = (spec: UiSpec) => listPanelsInOrder(spec).flatMap(({ element }) => ('query' in element && element.query.kind === 'metric' ? [element.query.metric] : []));

describe('catalog and spec', () => {
  it('accepts generated specs and fills panel defaults', () => {
    const spec = generateUiSpec('main_dashboard', full);
    expect(UiSpec.safeParse(spec).success).toBe(true);
    const chart = Object.values(spec.elements).find((element) => element.type === 'time-series');
    expect(chart).toMatchObject({ showExpectedBand: true, showAnomalies: true });
  });

  it('refuses unknown panel types, embedded data, dangling children and unreachable elements', () => {
    const spec = generateUiSpec('main_dashboard', full);
    const withType = { ...spec, elements: { ...spec.elements, x: { type: 'pie', title: 'x' } } };
    expect(UiSpec.safeParse(withType).success).toBe(false);
    const tile = spec.elements['tile-mrr']!;
    expect(UiSpec.safeParse({ ...spec, elements: { ...spec.elements, 'tile-mrr': { ...tile, data: [1, 2] } } }).success).toBe(false);
    expect(UiSpec.safeParse(applyJsonPatch(spec, [{ op: 'add', path: '/elements/root/children/-', value: 'ghost' }])).error?.issues[0]?.message).toMatch(/ghost/);
    expect(UiSpec.safeParse(applyJsonPatch(spec, [{ op: 'remove', path: '/elements/root/children/0' }])).error?.issues[0]?.message).toMatch(/not reachable/);
  });
});

describe('generator', () => {
  it('puts open incidents first', () => {
    const spec = generateUiSpec('main_dashboard', full);
    expect(listPanelsInOrder(spec)[0]?.element).toMatchObject({ type: 'incident', query: { incidentId: 'inc1' } });
  });

  it('has no revenue panels without billing data, and says why on the revenue context', () => {
    expect(metricsOf(generateUiSpec('main_dashboard', full))).toContain('mrr');
    const main = generateUiSpec('main_dashboard', noBilling);
    expect(metricsOf(main).filter((metric) => ['mrr', 'paying_customers', 'arr'].includes(metric))).toEqual([]);
    expect(Object.keys(main.elements)).not.toContain('bar-mrr-movements');
    const revenue = listPanelsInOrder(generateUiSpec('revenue', noBilling));
    expect(revenue).toHaveLength(1);
    expect(revenue[0]?.element).toMatchObject({ type: 'markdown', body: expect.stringMatching(/No billing data/) as unknown });
  });

  it('is deterministic and covers reliability, incident and custom contexts', () => {
    expect(generateUiSpec('reliability', full)).toEqual(generateUiSpec('reliability', full));
    expect(metricsOf(generateUiSpec('reliability', full))).toContain('latency_p95');
    const incident = listPanelsInOrder(generateUiSpec('incident:inc1', full));
    expect(incident.map(({ element }) => element.type)).toEqual(['incident', 'time-series']);
    expect(generateUiSpec('growth-review', full).title).toBe('growth review');
  });
});

describe('dashboard requests', () => {
  it('adds a churn chart by plan after the incidents', () => {
    const spec = generateUiSpec('main_dashboard', full);
    const change = planDashboardPatch(spec, 'Add a churn chart by plan', full);
    const next = UiSpec.parse(applyJsonPatch(spec, change.patch));
    expect(next.elements['chart-mrr-churn-by-plan']).toMatchObject({ type: 'time-series', query: { metric: 'mrr_churn', groupBy: 'plan' } });
    expect(listPanelsInOrder(next)[1]?.id).toBe('chart-mrr-churn-by-plan');
  });

  it('adds an MRR chart under a fresh id and removes every latency panel', () => {
    const spec = generateUiSpec('main_dashboard', full);
    const added = planDashboardPatch(spec, 'add an MRR chart');
    expect(added.elementIds).toEqual(['chart-mrr-2']);
    const reliability = generateUiSpec('reliability', full);
    const removal = planDashboardPatch(reliability, 'remove the latency panel');
    const next = UiSpec.parse(applyJsonPatch(reliability, removal.patch));
    expect(metricsOf(next).some((metric) => metric.startsWith('latency'))).toBe(false);
    expect(removal.elementIds.length).toBeGreaterThan(0);
  });

  it('refuses unknown metrics and metrics without data', () => {
    const spec = generateUiSpec('main_dashboard', noBilling);
    expect(() => planDashboardPatch(spec, 'add a chart of happiness')).toThrow(/which metric/);
    expect(() => planDashboardPatch(spec, 'add an MRR chart', noBilling)).toThrow(/no data/);
    expect(() => planDashboardPatch(spec, 'remove the ARR panel')).toThrow(/No panel/);
  });
});

describe('versioned service', () => {
  it('generates version 1 on first read, stores each regeneration and rolls back by copying', async () => {
    const deps = createMemoryDeps(full);
    const first = await readUiSchema(deps, { workspaceId: 'w1', context: 'main_dashboard' });
    expect(first).toMatchObject({ version: 1, source: 'generated' });
    expect((await readUiSchema(deps, { workspaceId: 'w1', context: 'main_dashboard' })).version).toBe(1);
    const patched = await patchUiSchema(deps, { workspaceId: 'w1', context: 'main_dashboard', patch: planDashboardPatch(first.spec, 'add a churn chart by plan').patch });
    expect(patched.version).toBe(2);
    const rolledBack = await rollbackUiSchema(deps, { workspaceId: 'w1', context: 'main_dashboard', version: 1 });
    expect(rolledBack).toMatchObject({ version: 3, source: 'rollback' });
    expect(rolledBack.spec).toEqual(first.spec);
    expect((await listUiSchemaHistory(deps, { workspaceId: 'w1', context: 'main_dashboard' })).map((row) => row.version)).toEqual([3, 2, 1]);
    expect((await regenerateUiSchema(deps, { workspaceId: 'w1', context: 'main_dashboard' })).version).toBe(4);
  });

  it('refuses an invalid patch naming the op and path and keeps the stored spec', async () => {
    const deps = createMemoryDeps(full);
    const before = await readUiSchema(deps, { workspaceId: 'w1', context: 'main_dashboard' });
    await expect(patchUiSchema(deps, { workspaceId: 'w1', context: 'main_dashboard', patch: [{ op: 'replace', path: '/elements/tile-mrr/type', value: 'pie' }] }))
      .rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/replace \/elements\/tile-mrr\/type/) as unknown });
    await expect(patchUiSchema(deps, { workspaceId: 'w1', context: 'main_dashboard', patch: [{ op: 'remove', path: '/elements/nothing' }] }))
      .rejects.toThrow(/remove \/elements\/nothing/);
    expect(deps.rows).toHaveLength(1);
    expect((await readUiSchema(deps, { workspaceId: 'w1', context: 'main_dashboard' })).spec).toEqual(before.spec);
    const port = createExperiencePort(deps);
    expect(await port.applyPatch({ workspaceId: 'w1', context: 'main_dashboard', patch: [{ op: 'add', path: '/panels/-', value: {} }], actorId: null })).toMatchObject({ applied: false, version: null });
  });

  it('refuses bad context names', async () => {
    await expect(readUiSchema(createMemoryDeps(full), { workspaceId: 'w1', context: 'Bad Context!' })).rejects.toThrow(/not a UI context/);
  });
});

describe('expected band', () => {
  it('follows the trailing median and leaves the first points without a band', () => {
    const band = computeExpectedBand([10, 10, 10, 10, 10, 50], { window: 5 });
    expect(band[0]?.expected).toBeNull();
    expect(band[5]).toMatchObject({ expected: 10 });
    expect(band[5]!.upper!).toBeLessThan(50);
  });
});
