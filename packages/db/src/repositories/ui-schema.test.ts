import {
  generateUiSpec, listPanelsInOrder, listUiSchemaHistory, patchUiSchema, planDashboardPatch, readUiSchema, regenerateUiSchema, rollbackUiSchema, type ExperienceDeps,
} from '@opspilot/core/experience';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedTestDatabase, type TestDatabase } from '../testing';
import { seedDemo } from '../seed';
import { createCapabilitiesPort, createUiSchemaStore, readWorkspaceCapabilities } from './ui-schema-repository';
import { readPanelTable, readPayingCohorts } from './ui-schema-panel-data';

const now = new Date('2026-11-25T12:00:00Z');
let db: TestDatabase;
let workspaceId: string;
let deps: ExperienceDeps;

beforeAll(async () => {
  db = await createEmbeddedTestDatabase();
  workspaceId = (await seedDemo(db, { now })).workspaceId;
  await db.prisma.workspace.create({ data: { id: 'empty', name: 'Empty', slug: 'empty' } });
  deps = { store: createUiSchemaStore(db), capabilities: createCapabilitiesPort(db, { now: () => now }), clock: { now: () => now } };
}, 180_000);

afterAll(async () => {
  await db?.close();
});

describe('UI schema versions on PGlite', () => {
  it('reads the demo capabilities: billing, telemetry, tickets, deploys and plans', async () => {
    const capabilities = await readWorkspaceCapabilities(db, workspaceId, now);
    expect(capabilities.hasBilling).toBe(true);
    expect(capabilities.metricsWithData).toEqual(expect.arrayContaining(['error_rate', 'latency_p95', 'active_users', 'signups', 'ticket_volume']));
    expect(capabilities.plans.length).toBeGreaterThan(1);
    expect(capabilities.hasDeploys && capabilities.hasTickets).toBe(true);
    const empty = await readWorkspaceCapabilities(db, 'empty', now);
    expect(empty).toMatchObject({ hasBilling: false, metricsWithData: [], openIncidents: [] });
  });

  it('stores every regeneration and patch as a version and rolls back by copying', async () => {
    const context = { workspaceId, context: 'main_dashboard', actorId: 'user-1' };
    const first = await readUiSchema(deps, context);
    expect(first.version).toBe(1);
    const patched = await patchUiSchema(deps, { ...context, patch: planDashboardPatch(first.spec, 'add a churn chart by plan').patch });
    expect(patched.spec.elements['chart-mrr-churn-by-plan']).toBeDefined();
    const again = await regenerateUiSchema(deps, context);
    expect(again.version).toBe(3);
    const rolledBack = await rollbackUiSchema(deps, { ...context, version: 2 });
    expect(rolledBack).toMatchObject({ version: 4, source: 'rollback', createdById: 'user-1' });
    expect(rolledBack.spec).toEqual(patched.spec);
    expect((await listUiSchemaHistory(deps, context)).map((row) => [row.version, row.source])).toEqual([[4, 'rollback'], [3, 'generated'], [2, 'patch'], [1, 'generated']]);
  });

  it('keeps the stored spec when a patch is invalid, and refuses a stale base version', async () => {
    const context = { workspaceId, context: 'reliability' };
    const before = await readUiSchema(deps, context);
    await expect(patchUiSchema(deps, { ...context, patch: [{ op: 'add', path: '/elements/root/children/-', value: 'missing-panel' }] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(patchUiSchema(deps, { ...context, baseVersion: before.version + 5, patch: [] })).rejects.toMatchObject({ code: 'CONFLICT' });
    const after = await readUiSchema(deps, context);
    expect(after.version).toBe(before.version);
    expect(after.spec).toEqual(before.spec);
  });

  it('answers a lost race on the version number with CONFLICT', async () => {
    const store = createUiSchemaStore(db);
    const spec = generateUiSpec('race', await readWorkspaceCapabilities(db, workspaceId, now));
    const record = { workspaceId, context: 'race', version: 1, spec, source: 'generated' as const, note: '', createdById: null };
    await store.appendVersion(record, now);
    await expect(store.appendVersion(record, now)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('generates no revenue panel for a workspace without billing data', async () => {
    const spec = (await readUiSchema(deps, { workspaceId: 'empty', context: 'main_dashboard' })).spec;
    expect(listPanelsInOrder(spec).map(({ element }) => element.type)).toEqual(['markdown']);
  });

  it('reads panel tables and cohorts from the demo data', async () => {
    const top = await readPanelTable(db, workspaceId, 'top-customers', 5, now);
    expect(top.rows).toHaveLength(5);
    expect(Number(top.rows[0]!.mrr)).toBeGreaterThanOrEqual(Number(top.rows[4]!.mrr));
    expect((await readPanelTable(db, workspaceId, 'recent-deploys', 3, now)).rows.length).toBeGreaterThan(0);
    const cohorts = await readPayingCohorts(db, workspaceId, 4, now);
    expect(cohorts).toHaveLength(4);
    expect(cohorts[0]!.retained[0]).toBe(1);
  });
});
