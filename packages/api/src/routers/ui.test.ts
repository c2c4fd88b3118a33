import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asKey, asUser, createTestCaller, createTestRuntime, signUpTestUser } from '../auth/testing';
import { handleRestRequest } from '../rest/handler';
import type { Runtime } from '../runtime';

const dayMs = 86_400_000;

describe('ui router', () => {
  let runtime: Runtime;
  let workspaceId: string;
  let readKey: string;
  let owner: Awaited<ReturnType<typeof createTestCaller>>;

  beforeAll(async () => {
    runtime = await createTestRuntime();
    owner = await createTestCaller(runtime, asUser(await signUpTestUser(runtime, 'Ui')));
    workspaceId = (await owner.workspace.create({ name: 'Ui Co' })).id;
    readKey = (await owner.apiKey.create({ workspaceId, name: 'reader', scopes: ['read'] })).secret;
  });
  afterAll(async () => runtime?.close());

  it('generates version 1 on first read, with no revenue panels for a workspace without billing', async () => {
    const first = await owner.ui.get({ workspaceId, context: 'revenue' });
    expect(first.version).toBe(1);
    expect(Object.values(first.spec.elements).map((element) => element.type)).toEqual(['section', 'markdown']);
    expect((await owner.ui.get({ workspaceId, context: 'revenue' })).version).toBe(1);
  });

  it('regenerates from new data, keeps history and rolls back as a new version', async () => {
    const now = Date.now();
    const events = Array.from({ length: 30 }, (_, index) => ({ id: `s${index}`, type: 'signup', source: 'app', occurredAt: new Date(now - (index % 20) * dayMs).toISOString(), properties: {} }));
    await owner.signals.ingest({ workspaceId, events });
    const before = await owner.ui.get({ workspaceId, context: 'main_dashboard' });
    const regenerated = await owner.ui.regenerate({ workspaceId, context: 'main_dashboard' });
    expect(regenerated.version).toBe(before.version + 1);
    const rolledBack = await owner.ui.rollback({ workspaceId, context: 'main_dashboard', version: before.version });
    expect(rolledBack).toMatchObject({ version: before.version + 2, source: 'rollback', spec: before.spec });
    expect((await owner.ui.history({ workspaceId, context: 'main_dashboard' })).map((entry) => entry.version)).toEqual([3, 2, 1]);
  });

  it('refuses an invalid patch with 400 naming the operation, and stores nothing', async () => {
    const before = await owner.ui.get({ workspaceId, context: 'main_dashboard' });
    await expect(owner.ui.patch({ workspaceId, context: 'main_dashboard', patch: [{ op: 'remove', path: '/elements/root' }] })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/remove \/elements\/root/) as unknown });
    expect((await owner.ui.get({ workspaceId, context: 'main_dashboard' })).version).toBe(before.version);
  });

  it('applies a plain-language request and resolves the new panel\'s data', async () => {
    const result = await owner.ui.request({ workspaceId, context: 'main_dashboard', request: 'add a daily sign-ups chart' });
    const id = result.elementIds[0]!;
    const element = result.schema.spec.elements[id];
    expect(element?.type).toBe('time-series');
    if (element?.type !== 'time-series') return;
    const data = await owner.ui.panelData({ workspaceId, query: element.query });
    expect(data.kind).toBe('metric');
    if (data.kind !== 'metric') return;
    const total = data.series[0]!.points.reduce((sum, point) => sum + (point.value ?? 0), 0);
    expect(total).toBe(30);
  });

  it('serves REST and lets read keys read but not change', async () => {
    const response = await handleRestRequest(new Request(`http://localhost/api/v1/workspaces/${workspaceId}/ui/main_dashboard`, { headers: { authorization: `Bearer ${readKey}` } }), runtime);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { version: number }).version).toBeGreaterThan(1);
    const reader = await createTestCaller(runtime, asKey(readKey));
    await expect(reader.ui.regenerate({ workspaceId, context: 'main_dashboard' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const refused = await handleRestRequest(new Request(`http://localhost/api/v1/workspaces/${workspaceId}/ui/main_dashboard/patch`, {
      method: 'POST', headers: { authorization: `Bearer ${readKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ patch: [{ op: 'remove', path: '/x' }] }),
    }), runtime);
    expect(refused.status).toBe(403);
  });
});
