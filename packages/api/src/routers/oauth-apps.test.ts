import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asKey, asUser, callRest, createOAuthTestCaller, createTestCaller, createTestRuntime, signUpTestUser, type TestUser } from '../auth/testing';
import { connectOAuthAppOverHttp, postMcpToolsList, type ConnectedTestApp } from '../auth/oauth/oauth-testing';
import { startMcpHttpServer } from '../mcp/testing';
import { createStaticWidgetSource } from '../mcp/widget-source';
import { handleRestRequest } from '../rest/handler';
import type { Runtime } from '../runtime';

const start = Date.parse('2026-11-20T12:00:00Z');
let nowMs = start;

let runtime: Runtime;
let endpoint: { url: string; close(): Promise<void> };
let origin: string;
let owner: TestUser;
let admin: TestUser;
let member: TestUser;
let viewer: TestUser;
let workspaceA: string;
let workspaceB: string;

const callerOf = (user: TestUser) => createTestCaller(runtime, asUser(user));
const connect = (user: TestUser, clientName: string, options: { workspaceId?: string; scope?: string } = {}) =>
  connectOAuthAppOverHttp({ origin, cookie: user.cookie, workspaceId: options.workspaceId ?? workspaceA, clientName, ...(options.scope ? { scope: options.scope } : {}) });
const listNames = async (user: TestUser, workspaceId = workspaceA) => (await (await callerOf(user)).oauthApps.list({ workspaceId })).items.map((app) => app.clientName).sort();
const grantIdOf = async (clientName: string, workspaceId = workspaceA) => {
  const apps = (await (await callerOf(owner)).oauthApps.list({ workspaceId })).items;
  const app = apps.find((candidate) => candidate.clientName === clientName);
  if (!app) throw new Error(`${clientName} is not connected`);
  return app.grantId;
};
const codeOf = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));

beforeAll(async () => {
  runtime = await createTestRuntime({ clock: { now: () => new Date(nowMs) } });
  owner = await signUpTestUser(runtime, 'Owner');
  admin = await signUpTestUser(runtime, 'Admin');
  member = await signUpTestUser(runtime, 'Member');
  viewer = await signUpTestUser(runtime, 'Viewer');
  const ownerCaller = await callerOf(owner);
  workspaceA = (await ownerCaller.workspace.create({ name: 'Apps A' })).id;
  workspaceB = (await ownerCaller.workspace.create({ name: 'Apps B' })).id;
  await runtime.db.prisma.membership.createMany({ data: [
    { workspaceId: workspaceA, userId: admin.userId, role: 'admin' },
    { workspaceId: workspaceA, userId: member.userId, role: 'member' },
    { workspaceId: workspaceA, userId: viewer.userId, role: 'viewer' },
  ] });
  endpoint = await startMcpHttpServer({ runtime, widgetSource: createStaticWidgetSource('<!doctype html><html><head></head><body></body></html>'), env: {} });
  origin = new URL(endpoint.url).origin;
}, 120_000);

afterAll(async () => {
  await endpoint?.close();
  await runtime?.close();
});

describe('oauthApps.list', () => {
  let viewerApp: ConnectedTestApp;
  beforeAll(async () => {
    await connect(owner, 'Owner host');
    viewerApp = await connect(viewer, 'Viewer host', { scope: 'read' });
    await connect(owner, 'Elsewhere host', { workspaceId: workspaceB });
  });

  it('shows owners and admins every live grant of the workspace, members and viewers only their own', async () => {
    expect(await listNames(owner)).toEqual(['Owner host', 'Viewer host']);
    expect(await listNames(admin)).toEqual(['Owner host', 'Viewer host']);
    expect(await listNames(viewer)).toEqual(['Viewer host']);
    expect(await listNames(member)).toEqual([]);
    expect(await listNames(owner, workspaceB)).toEqual(['Elsewhere host']);
    const [shown] = (await (await callerOf(viewer)).oauthApps.list({ workspaceId: workspaceA })).items;
    expect(shown).toMatchObject({
      clientName: 'Viewer host', clientId: viewerApp.clientId, scopes: ['read'],
      grantedBy: { userId: viewer.userId, name: 'Viewer', email: viewer.email }, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/) as unknown, lastUsedAt: null,
    });
  });

  it('records the last use on /mcp at most once a minute', async () => {
    const lastUsed = async () => (await (await callerOf(viewer)).oauthApps.list({ workspaceId: workspaceA })).items[0]?.lastUsedAt;
    try {
      expect(await postMcpToolsList(endpoint.url, viewerApp.accessToken)).toBe(200);
      expect(await lastUsed()).toBe(new Date(nowMs).toISOString());
      const firstUse = nowMs;
      nowMs += 30_000;
      expect(await postMcpToolsList(endpoint.url, viewerApp.accessToken)).toBe(200);
      expect(await lastUsed()).toBe(new Date(firstUse).toISOString());
      nowMs += 31_000;
      expect(await postMcpToolsList(endpoint.url, viewerApp.accessToken)).toBe(200);
      expect(await lastUsed()).toBe(new Date(nowMs).toISOString());
    } finally {
      nowMs = start;
    }
  });
});

describe('oauthApps.revoke', () => {
  it("ends a grant and all its tokens at once: /mcp answers 401 and the refresh token is refused; a viewer cannot revoke someone else's", async () => {
    const app = await connect(member, 'Member host');
    const grantId = await grantIdOf('Member host');
    await expect((await callerOf(viewer)).oauthApps.revoke({ workspaceId: workspaceA, grantId })).rejects.toSatisfy((error) => codeOf(error) === 'NOT_FOUND');
    expect(await postMcpToolsList(endpoint.url, app.accessToken)).toBe(200);

    const revoked = await (await callerOf(admin)).oauthApps.revoke({ workspaceId: workspaceA, grantId });
    expect(revoked).toMatchObject({ grantId, clientName: 'Member host', grantedBy: { userId: member.userId } });
    expect(await postMcpToolsList(endpoint.url, app.accessToken)).toBe(401);
    const refresh = await fetch(`${origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: app.refreshToken, client_id: app.clientId }).toString(),
    });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await listNames(owner)).not.toContain('Member host');
    await expect((await callerOf(admin)).oauthApps.revoke({ workspaceId: workspaceA, grantId })).rejects.toSatisfy((error) => codeOf(error) === 'NOT_FOUND');
    const audit = await runtime.db.prisma.auditLog.findFirst({ where: { workspaceId: workspaceA, action: 'oauth-app.revoke', targetId: grantId } });
    expect(audit).toMatchObject({ actorType: 'user', actorId: admin.userId });
  });

  it('lets a member or viewer revoke their own grant', async () => {
    const app = await connect(member, 'Own host');
    const [own] = (await (await callerOf(member)).oauthApps.list({ workspaceId: workspaceA })).items;
    expect(own?.clientName).toBe('Own host');
    await (await callerOf(member)).oauthApps.revoke({ workspaceId: workspaceA, grantId: own!.grantId });
    expect(await postMcpToolsList(endpoint.url, app.accessToken)).toBe(401);
    expect(await listNames(member)).toEqual([]);
  });

  it("cannot reach another workspace's grant through this workspace", async () => {
    const app = await connect(owner, 'Foreign host', { workspaceId: workspaceB });
    const grantId = await grantIdOf('Foreign host', workspaceB);
    await expect((await callerOf(admin)).oauthApps.revoke({ workspaceId: workspaceA, grantId })).rejects.toSatisfy((error) => codeOf(error) === 'NOT_FOUND');
    await expect((await callerOf(admin)).oauthApps.list({ workspaceId: workspaceB })).rejects.toSatisfy((error) => codeOf(error) === 'NOT_FOUND');
    expect(await postMcpToolsList(endpoint.url, app.accessToken)).toBe(200);
  });
});

describe('credentials other than a signed-in person', () => {
  it('API keys and OAuth tokens can neither list nor revoke grants, over tRPC or REST; a session can over REST', async () => {
    const app = await connect(owner, 'Kept host');
    const grantId = await grantIdOf('Kept host');
    const key = await (await callerOf(owner)).apiKey.create({ workspaceId: workspaceA, name: 'admin key', scopes: ['read', 'write', 'admin'] });
    const keyCaller = await createTestCaller(runtime, asKey(key.secret));
    const oauthCaller = await createOAuthTestCaller(runtime, { userId: owner.userId, workspaceId: workspaceA, scopes: ['read', 'write'] });
    for (const caller of [keyCaller, oauthCaller]) {
      await expect(caller.oauthApps.list({ workspaceId: workspaceA })).rejects.toSatisfy((error) => codeOf(error) === 'FORBIDDEN');
      await expect(caller.oauthApps.revoke({ workspaceId: workspaceA, grantId })).rejects.toSatisfy((error) => codeOf(error) === 'FORBIDDEN');
    }
    const path = `/v1/workspaces/${workspaceA}/oauth-apps`;
    expect((await callRest(runtime, { method: 'GET', path, key: key.secret })).status).toBe(403);
    expect((await callRest(runtime, { method: 'DELETE', path: `${path}/${grantId}`, key: key.secret })).status).toBe(403);
    expect(await postMcpToolsList(endpoint.url, app.accessToken)).toBe(200);

    const bySession = await handleRestRequest(new Request(`http://localhost/api${path}`, { headers: { cookie: owner.cookie } }), runtime);
    expect(bySession.status).toBe(200);
    expect(((await bySession.json()) as { items: { clientName: string }[] }).items.map((shown) => shown.clientName)).toContain('Kept host');
  });
});
