import { request as httpRequest } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDetection } from '@opspilot/core/signals';
import { seedDemo } from '@opspilot/db';
import { asUser, callRest, createTestCaller, createTestRuntime, signUpTestUser, type TestUser } from '../auth/testing';
import { authenticateOAuthAccessToken } from '../auth/oauth';
import { hashSecret } from '../auth/tokens';
import { appRouter } from '../router';
import { signalsDepsOf } from '../routers/signals-support';
import type { Runtime } from '../runtime';
import { createPkcePair, RecordingOAuthProvider } from './mcp-oauth.testing';
import { startMcpHttpServer } from './testing';
import { createStaticWidgetSource } from './widget-source';

const start = Date.parse('2026-11-20T12:00:00Z');
let nowMs = start;
const hourMs = 3_600_000;
const redirectUri = 'http://127.0.0.1:9/callback';

let runtime: Runtime;
let endpoint: { url: string; close(): Promise<void> };
let origin: string;
let owner: TestUser;
let viewer: TestUser;
let demoWorkspaceId: string;
let otherWorkspaceId: string;
let incidentId: string;

beforeAll(async () => {
  runtime = await createTestRuntime({ clock: { now: () => new Date(nowMs) } });
  demoWorkspaceId = (await seedDemo(runtime.db, { now: new Date(start) })).workspaceId;
  await runtime.db.prisma.workflow.create({ data: { workspaceId: demoWorkspaceId, key: 'failed-payment-follow-up', name: 'Failed-payment follow-up', description: 'Dunning.' } });
  owner = await signUpTestUser(runtime, 'Owner');
  viewer = await signUpTestUser(runtime, 'Viewer');
  await runtime.db.prisma.membership.createMany({ data: [
    { workspaceId: demoWorkspaceId, userId: owner.userId, role: 'owner' },
    { workspaceId: demoWorkspaceId, userId: viewer.userId, role: 'viewer' },
  ] });
  otherWorkspaceId = (await (await createTestCaller(runtime, asUser(owner))).workspace.create({ name: 'Elsewhere' })).id;
  await runDetection(signalsDepsOf(runtime), { workspaceId: demoWorkspaceId, now: new Date(start), lookbackDays: 90 });
  const incident = await runtime.db.prisma.incident.findFirst({ where: { workspaceId: demoWorkspaceId }, orderBy: { startedAt: 'desc' } });
  if (!incident) throw new Error('The demo seed has no incident');
  incidentId = incident.id;
  endpoint = await startMcpHttpServer({ runtime, widgetSource: createStaticWidgetSource('<!doctype html><html><head></head><body></body></html>'), env: {} });
  origin = new URL(endpoint.url).origin;
}, 240_000);

afterAll(async () => {
  await endpoint?.close();
  await runtime?.close();
});

const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
const postToken = (fields: Record<string, string>) => fetch(`${origin}/oauth/token`, form(fields));

/** The browser's part: follow /oauth/authorize to the consent page, read what it shows, and decide as the signed-in person. */
async function consent(authorizationUrl: URL, user: TestUser, decision: { workspaceId: string; scopes?: string[]; decision?: 'approve' | 'deny' }) {
  const authorize = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const consentPage = new URL(authorize.headers.get('location')!);
  expect(consentPage.pathname).toBe('/oauth/consent');
  const details = await fetch(`${origin}/oauth/consent/request${consentPage.search}`, { headers: { cookie: user.cookie } });
  expect(details.status).toBe(200);
  const shown = (await details.json()) as Record<string, unknown>;
  const response = await fetch(`${origin}/oauth/consent/request`, {
    method: 'POST',
    headers: { cookie: user.cookie, origin, 'content-type': 'application/json' },
    body: JSON.stringify({ request: consentPage.search.slice(1), decision: decision.decision ?? 'approve', workspaceId: decision.workspaceId, ...(decision.scopes ? { scopes: decision.scopes } : {}) }),
  });
  const body = (await response.json()) as { redirectTo?: string; error?: string };
  return { status: response.status, body, details: shown };
}

/** Registration, authorization and consent over raw HTTP: returns the code and what is needed to redeem it. */
async function authorizeRaw(options: { user?: TestUser; workspaceId?: string; scope?: string; scopes?: string[] } = {}) {
  const registered = (await (await fetch(`${origin}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Raw host', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' }) })).json()) as { client_id: string };
  const pkce = createPkcePair();
  const url = new URL(`${origin}/oauth/authorize`);
  const query = { response_type: 'code', client_id: registered.client_id, redirect_uri: redirectUri, code_challenge: pkce.challenge, code_challenge_method: 'S256', state: 'xyz', scope: options.scope ?? 'read write', resource: `${origin}/mcp` };
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const decided = await consent(url, options.user ?? owner, { workspaceId: options.workspaceId ?? demoWorkspaceId, ...(options.scopes ? { scopes: options.scopes } : {}) });
  expect(decided.status).toBe(200);
  const code = new URL(decided.body.redirectTo!).searchParams.get('code')!;
  return { clientId: registered.client_id, code, verifier: pkce.verifier };
}

async function redeem(grant: { clientId: string; code: string; verifier: string }) {
  const response = await postToken({ grant_type: 'authorization_code', code: grant.code, client_id: grant.clientId, redirect_uri: redirectUri, code_verifier: grant.verifier, resource: `${origin}/mcp` });
  return { status: response.status, body: (await response.json()) as { access_token: string; refresh_token: string; scope: string; error?: string } };
}

async function connectWithToken(accessToken: string): Promise<Client> {
  const client = new Client({ name: 'oauth-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(endpoint.url), { requestInit: { headers: { authorization: `Bearer ${accessToken}` } } }));
  return client;
}

function postMcp(accessToken: string | null): Promise<{ status: number; challenge: string }> {
  return fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  }).then((response) => ({ status: response.status, challenge: response.headers.get('www-authenticate') ?? '' }));
}

describe('MCP OAuth: the whole flow an MCP host (ChatGPT) goes through', () => {
  it('discovers metadata from the 401, registers, gets consent, exchanges the code with PKCE, calls tools, refreshes, revokes', async () => {
    const challenge = (await postMcp(null)).challenge;
    expect(challenge).toMatch(/^Bearer realm="OpsPilot"/);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(metadataUrl).toBe(`${origin}/.well-known/oauth-protected-resource/mcp`);
    expect(challenge).toContain('scope="read write"');
    const resourceMetadata = (await (await fetch(metadataUrl!)).json()) as { resource: string; authorization_servers: string[] };
    expect(resourceMetadata).toMatchObject({ resource: `${origin}/mcp`, authorization_servers: [origin], scopes_supported: ['read', 'write'] });
    // The web app reaches the documents through a rewrite to /oauth/well-known/... (App Router skips dot-folders).
    expect(await (await fetch(`${origin}/oauth/well-known/oauth-protected-resource/mcp`)).json()).toEqual(resourceMetadata);
    const serverMetadata = (await (await fetch(`${origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(serverMetadata).toMatchObject({ issuer: origin, registration_endpoint: `${origin}/oauth/register`, code_challenge_methods_supported: ['S256'], token_endpoint: `${origin}/oauth/token` });

    const provider = new RecordingOAuthProvider(redirectUri);
    const first = new Client({ name: 'oauth-host', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(endpoint.url), { authProvider: provider });
    await expect(first.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.information?.client_id).toMatch(/^opc_/);
    const authorizationUrl = provider.authorizationUrl!;
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('resource')).toBe(`${origin}/mcp`);

    const unsigned = await fetch(`${origin}/oauth/consent/request${authorizationUrl.search}`);
    expect(unsigned.status).toBe(401);
    const decided = await consent(authorizationUrl, owner, { workspaceId: demoWorkspaceId });
    expect(decided.details).toMatchObject({ client: { name: 'Test MCP host' }, scopes: [{ scope: 'read' }, { scope: 'write' }] });
    expect((decided.details.workspaces as { id: string }[]).map((workspace) => workspace.id).sort()).toEqual([demoWorkspaceId, otherWorkspaceId].sort());
    const callback = new URL(decided.body.redirectTo!);
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('state-123');
    expect(callback.searchParams.get('iss')).toBe(origin);
    await transport.finishAuth(callback.searchParams.get('code')!);
    expect(provider.savedTokens).toMatchObject({ token_type: 'Bearer', scope: 'read write' });
    expect(await runtime.db.prisma.oAuthToken.count({ where: { hash: provider.savedTokens!.access_token } })).toBe(0);
    expect(await runtime.db.prisma.oAuthToken.count({ where: { hash: hashSecret(provider.savedTokens!.access_token) } })).toBe(1);

    const client = new Client({ name: 'oauth-host', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(endpoint.url), { authProvider: provider }));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('workspace_overview');
    const overview = await client.callTool({ name: 'workspace_overview', arguments: {} });
    expect(overview.isError ?? false).toBe(false);
    expect((overview.structuredContent as { mrrCents: number }).mrrCents).toBeGreaterThan(0);
    await client.close();

    const refreshed = await postToken({ grant_type: 'refresh_token', refresh_token: provider.savedTokens!.refresh_token!, client_id: provider.information!.client_id });
    expect(refreshed.status).toBe(200);
    const pair = (await refreshed.json()) as { access_token: string; refresh_token: string };
    expect(pair.access_token).not.toBe(provider.savedTokens!.access_token);
    expect((await postMcp(pair.access_token)).status).toBe(200);

    const revoked = await fetch(`${origin}/oauth/revoke`, form({ token: pair.refresh_token, client_id: provider.information!.client_id }));
    expect(revoked.status).toBe(200);
    const after = await postMcp(pair.access_token);
    expect(after.status).toBe(401);
    expect(after.challenge).toContain('error="invalid_token"');
  });
});

describe('MCP OAuth refusals', () => {
  it('refuses a wrong PKCE verifier, a reused code (revoking its tokens) and a redirect_uri that does not match', async () => {
    const grant = await authorizeRaw();
    expect((await redeem({ ...grant, verifier: createPkcePair().verifier })).body.error).toBe('invalid_grant');
    const mismatch = await postToken({ grant_type: 'authorization_code', code: grant.code, client_id: grant.clientId, redirect_uri: 'http://127.0.0.1:9/other', code_verifier: grant.verifier });
    expect(((await mismatch.json()) as { error: string }).error).toBe('invalid_grant');
    const issued = await redeem(grant);
    expect(issued.status).toBe(200);
    expect((await postMcp(issued.body.access_token)).status).toBe(200);
    const replay = await redeem(grant);
    expect(replay.body.error).toBe('invalid_grant');
    expect((await postMcp(issued.body.access_token)).status).toBe(401);

    const unregistered = new URL(`${origin}/oauth/authorize`);
    unregistered.search = new URLSearchParams({ response_type: 'code', client_id: grant.clientId, redirect_uri: 'https://attacker.example/cb', code_challenge: createPkcePair().challenge, code_challenge_method: 'S256' }).toString();
    const refused = await fetch(unregistered, { redirect: 'manual' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();
    const plain = new URL(unregistered);
    plain.searchParams.set('redirect_uri', redirectUri);
    plain.searchParams.set('code_challenge_method', 'plain');
    const plainResponse = await fetch(plain, { redirect: 'manual' });
    expect(new URL(plainResponse.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });

  it('binds a token to its workspace: a token for workspace B cannot read A’s incident', async () => {
    const issued = await redeem(await authorizeRaw({ workspaceId: otherWorkspaceId }));
    const client = await connectWithToken(issued.body.access_token);
    const overview = await client.callTool({ name: 'workspace_overview', arguments: {} });
    expect((overview.structuredContent as { workspaceName: string }).workspaceName).toBe('Elsewhere');
    for (const name of ['explain_incident', 'acknowledge_incident']) {
      const result = await client.callTool({ name, arguments: { incidentId } });
      expect(result.isError).toBe(true);
      expect((result.content as { text: string }[])[0]!.text).toMatch(/not found/i);
    }
    await client.close();
  });

  it('a read-scoped token cannot call write tools, a viewer cannot grant write, and a write token proposes but never approves', async () => {
    const readOnly = await redeem(await authorizeRaw({ scopes: ['read'] }));
    expect(readOnly.body.scope).toBe('read');
    const viewerGrant = await redeem(await authorizeRaw({ user: viewer, scope: 'read write' }));
    expect(viewerGrant.body.scope).toBe('read');
    for (const token of [readOnly.body.access_token, viewerGrant.body.access_token]) {
      const client = await connectWithToken(token);
      const proposed = await client.callTool({ name: 'propose_workflow', arguments: { workflowKey: 'failed-payment-follow-up', reason: 'Payments failing' } });
      expect(proposed.isError).toBe(true);
      expect((await client.callTool({ name: 'acknowledge_incident', arguments: { incidentId } })).isError).toBe(true);
      await client.close();
    }
    expect(await runtime.db.prisma.approval.count({ where: { workspaceId: demoWorkspaceId } })).toBe(0);

    const writer = await redeem(await authorizeRaw());
    const client = await connectWithToken(writer.body.access_token);
    const proposed = await client.callTool({ name: 'propose_workflow', arguments: { workflowKey: 'failed-payment-follow-up', reason: 'Payments failing' } });
    await client.close();
    const handle = proposed.structuredContent as { approvalId: string; state: string };
    expect(handle.state).toBe('pending');
    // Like an API key, the token can propose but never decide: approvals need a signed-in person.
    const principal = await authenticateOAuthAccessToken(runtime, writer.body.access_token, `${origin}/mcp`);
    expect(principal).toMatchObject({ kind: 'apiKey', workspaceId: demoWorkspaceId, scopes: ['read', 'write'] });
    const caller = appRouter.createCaller({ runtime, principal, ip: 'unknown', headers: new Headers(), responseHeaders: new Headers() });
    await expect(caller.workflows.approve({ workspaceId: demoWorkspaceId, approvalId: handle.approvalId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await runtime.db.prisma.approval.findUnique({ where: { id: handle.approvalId }, select: { status: true } })).toEqual({ status: 'pending' });
  });

  it('an expired access token answers 401 and the refresh token still renews it; a replayed refresh token revokes the grant', async () => {
    const issued = await redeem(await authorizeRaw());
    nowMs += hourMs + 1_000;
    try {
      const expired = await postMcp(issued.body.access_token);
      expect(expired.status).toBe(401);
      expect(expired.challenge).toContain('error="invalid_token"');
      const clientId = (await runtime.db.prisma.oAuthGrant.findFirst({ orderBy: { createdAt: 'desc' }, select: { clientId: true } }))!.clientId;
      const renewed = (await (await postToken({ grant_type: 'refresh_token', refresh_token: issued.body.refresh_token, client_id: clientId })).json()) as { access_token: string };
      expect((await postMcp(renewed.access_token)).status).toBe(200);
      const replay = (await (await postToken({ grant_type: 'refresh_token', refresh_token: issued.body.refresh_token, client_id: clientId })).json()) as { error: string };
      expect(replay.error).toBe('invalid_grant');
      expect((await postMcp(renewed.access_token)).status).toBe(401);
    } finally {
      nowMs = start;
    }
  });

  it('an OAuth token is only for /mcp (REST refuses it), dies with the membership, and consent refuses a foreign Origin', async () => {
    const issued = await redeem(await authorizeRaw({ user: viewer }));
    expect((await callRest(runtime, { method: 'GET', path: '/v1/me', key: issued.body.access_token })).status).toBe(401);
    expect((await postMcp(issued.body.access_token)).status).toBe(200);
    await runtime.db.prisma.membership.deleteMany({ where: { userId: viewer.userId, workspaceId: demoWorkspaceId } });
    expect((await postMcp(issued.body.access_token)).status).toBe(401);
    await runtime.db.prisma.membership.create({ data: { workspaceId: demoWorkspaceId, userId: viewer.userId, role: 'viewer' } });

    const crossSite = await fetch(`${origin}/oauth/consent/request`, {
      method: 'POST', headers: { cookie: owner.cookie, origin: 'https://attacker.example', 'content-type': 'application/json' },
      body: JSON.stringify({ request: 'client_id=x', decision: 'approve', workspaceId: demoWorkspaceId }),
    });
    expect(crossSite.status).toBe(403);
  });

  it('registers only safe redirect URIs; a confidential client must authenticate; a client cannot revoke another client’s token', async () => {
    const register = (body: Record<string, unknown>) => fetch(`${origin}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (const redirect_uris of [['http://host.example/cb'], ['https://host.example/cb#fragment'], ['javascript:alert(1)'], []]) {
      const refused = await register({ redirect_uris });
      expect(refused.status, JSON.stringify(redirect_uris)).toBe(400);
    }
    expect((await register({ redirect_uris: [redirectUri], grant_types: ['client_credentials'] })).status).toBe(400);

    const confidential = (await (await register({ client_name: 'Server host', redirect_uris: [redirectUri], token_endpoint_auth_method: 'client_secret_basic' })).json()) as { client_id: string; client_secret: string };
    expect(confidential.client_secret).toMatch(/^ops_/);
    expect(await runtime.db.prisma.oAuthClient.findUnique({ where: { clientId: confidential.client_id }, select: { secretHash: true } })).toEqual({ secretHash: hashSecret(confidential.client_secret) });
    const basic = (secret: string) => ({ authorization: `Basic ${Buffer.from(`${confidential.client_id}:${secret}`).toString('base64')}` });
    const wrongSecret = await fetch(`${origin}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic('ops_wrong') }, body: 'grant_type=refresh_token&refresh_token=opr_x' });
    expect(wrongSecret.status).toBe(401);
    expect(((await wrongSecret.json()) as { error: string }).error).toBe('invalid_client');
    const noSecret = await postToken({ grant_type: 'refresh_token', refresh_token: 'opr_x', client_id: confidential.client_id });
    expect(noSecret.status).toBe(401);
    const rightSecret = await fetch(`${origin}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic(confidential.client_secret) }, body: 'grant_type=refresh_token&refresh_token=opr_x' });
    expect(((await rightSecret.json()) as { error: string }).error).toBe('invalid_grant');

    const issued = await redeem(await authorizeRaw());
    const foreignRevocation = await fetch(`${origin}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic(confidential.client_secret) }, body: new URLSearchParams({ token: issued.body.access_token }).toString() });
    expect(foreignRevocation.status).toBe(400);
    expect((await postMcp(issued.body.access_token)).status).toBe(200);
  });

  it('serves metadata only on allowed hosts', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${origin}/.well-known/oauth-authorization-server`);
      const outgoing = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'attacker.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(status).toBe(403);
  });
});
