import { request as httpRequest } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appToolList, appTools, isWidgetUri, maximumStatusTextLength, mcpAppMimeType, skybridgeMimeType, dashboardMetaKey } from '@opspilot/core/apps';
import { seedDemo } from '@opspilot/db';
import { runDetection } from '@opspilot/core/signals';
import { signalsDepsOf } from '../routers/signals-support';
import { asUser, createTestCaller, createTestRuntime, signUpTestUser } from '../auth/testing';
import type { Runtime } from '../runtime';
import { createStaticWidgetSource } from './widget-source';
import { startMcpHttpServer } from './testing';

const now = Date.parse('2026-11-20T12:00:00Z');
const widgetPage = '<!doctype html><html><head><title>w</title></head><body><div id="root"></div><script src="/_next/static/chunks/app.js"></script></body></html>';
const baseUrl = 'https://opspilot.example.com';

let runtime: Runtime;
let endpoint: { url: string; close(): Promise<void> };
let workspaceId: string;
let keys: { read: string; write: string; revoked: string; other: string };

async function connect(secret: string | null): Promise<Client> {
  const client = new Client({ name: 'opspilot-test', version: '1.0.0' });
  const headers: Record<string, string> = secret ? { authorization: `Bearer ${secret}` } : {};
  await client.connect(new StreamableHTTPClientTransport(new URL(endpoint.url), { requestInit: { headers } }));
  return client;
}

beforeAll(async () => {
  runtime = await createTestRuntime({ clock: { now: () => new Date(now) } });
  workspaceId = (await seedDemo(runtime.db, { now: new Date(now) })).workspaceId;
  await runtime.db.prisma.workflow.create({ data: { workspaceId, key: 'failed-payment-follow-up', name: 'Failed-payment follow-up', description: 'Dunning.' } });
  const user = await signUpTestUser(runtime, 'Mcp');
  await runtime.db.prisma.membership.create({ data: { workspaceId, userId: user.userId, role: 'owner' } });
  const owner = await createTestCaller(runtime, asUser(user));
  const otherWorkspaceId = (await owner.workspace.create({ name: 'Elsewhere' })).id;
  const revoked = await owner.apiKey.create({ workspaceId, name: 'old', scopes: ['read'] });
  await owner.apiKey.revoke({ workspaceId, apiKeyId: revoked.apiKey.id });
  keys = {
    read: (await owner.apiKey.create({ workspaceId, name: 'chatgpt-read', scopes: ['read'] })).secret,
    write: (await owner.apiKey.create({ workspaceId, name: 'chatgpt-write', scopes: ['write'] })).secret,
    revoked: revoked.secret,
    other: (await owner.apiKey.create({ workspaceId: otherWorkspaceId, name: 'other', scopes: ['write'] })).secret,
  };
  endpoint = await startMcpHttpServer({ runtime, widgetSource: createStaticWidgetSource(widgetPage), env: { FRONTEND_BASE_URL: baseUrl } });
}, 240_000);

afterAll(async () => {
  await endpoint?.close();
  await runtime?.close();
});

describe('MCP endpoint descriptors', () => {
  it('lists every tool with schemas, honest annotations and both widget dialects on UI tools', async () => {
    const client = await connect(keys.read);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(appToolList.map((tool) => tool.name).sort());
    const uris = new Set<string>();
    for (const tool of tools) {
      const definition = appToolList.find((candidate) => candidate.name === tool.name)!;
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.annotations).toMatchObject(definition.annotations);
      const meta = tool._meta ?? {};
      expect(String(meta['openai/toolInvocation/invoking']).length).toBeLessThanOrEqual(maximumStatusTextLength);
      expect(String(meta['openai/toolInvocation/invoked']).length).toBeLessThanOrEqual(maximumStatusTextLength);
      if (definition.presentation === 'widget') {
        const uri = meta['openai/outputTemplate'] as string;
        expect(isWidgetUri(uri)).toBe(true);
        expect((meta.ui as { resourceUri: string }).resourceUri).toBe(uri);
        expect(meta['openai/widgetAccessible']).toBe(true);
        uris.add(uri);
      } else if (definition.presentation === 'private') {
        expect(meta['openai/visibility']).toBe('private');
        expect(meta.ui).toEqual({ visibility: ['app'] });
        expect(meta['openai/outputTemplate']).toBeUndefined();
      } else {
        expect(meta['openai/outputTemplate']).toBeUndefined();
        expect(meta['openai/visibility']).toBeUndefined();
      }
    }
    expect(uris.size).toBe(1);
    expect(tools.find((tool) => tool.name === 'propose_workflow')?.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    await client.close();
  });

  it('serves the widget under the same URI as text/html;profile=mcp-app and text/html+skybridge with both CSP forms', async () => {
    const client = await connect(keys.read);
    const { tools } = await client.listTools();
    const uri = tools.find((tool) => tool.name === 'show_dashboard')!._meta!['openai/outputTemplate'] as string;
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual([uri]);
    const { contents } = await client.readResource({ uri });
    expect(contents.map((content) => content.mimeType)).toEqual([mcpAppMimeType, skybridgeMimeType]);
    for (const content of contents) {
      expect(content.uri).toBe(uri);
      const text = (content as { text: string }).text;
      expect(text).toContain(`<base href="${baseUrl}/">`);
      expect(text).toContain('/_next/static/chunks/app.js');
      const meta = content._meta as Record<string, Record<string, unknown>>;
      expect(meta.ui!.csp).toEqual({ connectDomains: [baseUrl], resourceDomains: [baseUrl], frameDomains: [], baseUriDomains: [baseUrl] });
      expect(meta['openai/widgetCSP']).toEqual({ connect_domains: [baseUrl], resource_domains: [baseUrl], frame_domains: [], redirect_domains: [baseUrl] });
      expect(meta.ui!.prefersBorder).toBe(true);
      expect(meta['openai/widgetDomain']).toBe(baseUrl);
      expect(typeof meta['openai/widgetDescription']).toBe('string');
    }
    await client.close();
  });
});

type ToolResult = Awaited<ReturnType<Client['callTool']>>;

function expectLanes(result: ToolResult, name: string) {
  const definition = appToolList.find((tool) => tool.name === name)!;
  expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
  const content = result.content as { type: string; text: string }[];
  expect(content).toHaveLength(1);
  expect(content[0]!.type).toBe('text');
  expect(content[0]!.text.length).toBeLessThanOrEqual(1_000);
  expect(definition.output.safeParse(result.structuredContent).success).toBe(true);
  expect(JSON.stringify(result.structuredContent).length).toBeLessThan(8_000);
}

describe('MCP endpoint tool calls', () => {
  let incidentId: string;
  beforeAll(async () => {
    await runDetection(signalsDepsOf(runtime), { workspaceId, now: new Date(now), lookbackDays: 90 });
    const incident = await runtime.db.prisma.incident.findFirst({ where: { workspaceId, status: 'open' }, orderBy: { startedAt: 'desc' } });
    if (!incident) throw new Error('The demo seed has no open incident');
    incidentId = incident.id;
  }, 120_000);

  it('answers every read tool in the three lanes, bulky data only in _meta', async () => {
    const client = await connect(keys.read);
    const overview = await client.callTool({ name: 'workspace_overview', arguments: {} });
    expectLanes(overview, 'workspace_overview');
    expect((overview.structuredContent as { mrrCents: number }).mrrCents).toBeGreaterThan(0);

    const metric = await client.callTool({ name: 'metric_lookup', arguments: { metric: 'mrr', days: 30 } });
    expectLanes(metric, 'metric_lookup');
    const points = (metric._meta?.['opspilot/series'] as { points: unknown[] }).points;
    expect(points.length).toBe((metric.structuredContent as { pointCount: number }).pointCount);
    expect(points.length).toBeGreaterThan(25);

    const listed = await client.callTool({ name: 'list_incidents', arguments: { limit: 5 } });
    expectLanes(listed, 'list_incidents');
    expect((listed.structuredContent as { incidents: { id: string }[] }).incidents.length).toBeGreaterThan(0);

    for (const name of ['show_dashboard', 'refresh_dashboard']) {
      const dashboard = await client.callTool({ name, arguments: { context: 'main_dashboard' } });
      expectLanes(dashboard, name);
      const data = dashboard._meta?.[dashboardMetaKey] as { spec: { elements: Record<string, unknown> }; panelData: Record<string, { kind: string }> };
      const panels = (dashboard.structuredContent as { panels: { id: string; type: string }[] }).panels;
      expect(panels.length).toBeGreaterThan(2);
      for (const panel of panels) expect(data.spec.elements[panel.id]).toBeDefined();
      const withData = panels.filter((panel) => panel.type !== 'markdown');
      expect(withData.every((panel) => data.panelData[panel.id] !== undefined)).toBe(true);
      expect(withData.some((panel) => data.panelData[panel.id]!.kind === 'metric')).toBe(true);
      expect(JSON.stringify(dashboard._meta).length).toBeGreaterThan(JSON.stringify(dashboard.structuredContent).length);
    }

    const explained = await client.callTool({ name: 'explain_incident', arguments: { incidentId } });
    expectLanes(explained, 'explain_incident');
    expect((explained.structuredContent as { context: string }).context).toBe(`incident:${incidentId}`);
    expect((explained._meta?.[dashboardMetaKey] as { context: string }).context).toBe(`incident:${incidentId}`);
    await client.close();
  });

  it('proposes a workflow as a pending approval handle and needs a write key for it', async () => {
    const reader = await connect(keys.read);
    const refused = await reader.callTool({ name: 'propose_workflow', arguments: { workflowKey: 'failed-payment-follow-up', reason: 'Payments failing' } });
    expect(refused.isError).toBe(true);
    await reader.close();
    const writer = await connect(keys.write);
    const result = await writer.callTool({ name: 'propose_workflow', arguments: { workflowKey: 'failed-payment-follow-up', reason: 'Payments failing since Monday', input: { invoice: 'in_1' } } });
    expectLanes(result, 'propose_workflow');
    const handle = result.structuredContent as { approvalId: string; state: string };
    expect(handle.state).toBe('pending');
    const approval = await runtime.db.prisma.approval.findUnique({ where: { id: handle.approvalId } });
    expect(approval).toMatchObject({ workspaceId, status: 'pending', summary: 'Payments failing since Monday', runId: null });
    expect(await runtime.db.prisma.workflowRun.count({ where: { workspaceId } })).toBe(0);
    const unknown = await writer.callTool({ name: 'propose_workflow', arguments: { workflowKey: 'no-such-workflow', reason: 'test it' } });
    expect(unknown.isError).toBe(true);
    await writer.close();
  });

  it('acknowledges through the widget helper with a write key, and a foreign workspace key cannot reach the incident', async () => {
    const foreign = await connect(keys.other);
    for (const name of ['explain_incident', 'acknowledge_incident']) {
      const result = await foreign.callTool({ name, arguments: { incidentId } });
      expect(result.isError).toBe(true);
      expect((result.content as { text: string }[])[0]!.text).toMatch(/not found/i);
    }
    await foreign.close();
    const reader = await connect(keys.read);
    expect((await reader.callTool({ name: 'acknowledge_incident', arguments: { incidentId } })).isError).toBe(true);
    await reader.close();
    const writer = await connect(keys.write);
    const acknowledged = await writer.callTool({ name: 'acknowledge_incident', arguments: { incidentId } });
    expectLanes(acknowledged, 'acknowledge_incident');
    expect(acknowledged.structuredContent).toMatchObject({ incidentId, status: 'acknowledged' });
    await writer.close();
  });
});

function rawRequest(method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  const url = new URL(endpoint.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('MCP endpoint refusals', () => {
  const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  const post = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

  it('refuses missing, malformed, revoked and unknown keys with 401 and WWW-Authenticate', async () => {
    const cases: Record<string, string | undefined> = {
      missing: undefined, malformed: 'Bearer not-a-key', basic: 'Basic dXNlcjpwYXNz', revoked: `Bearer ${keys.revoked}`, unknown: `Bearer ${keys.read.slice(0, -4)}zzzz`,
    };
    for (const [name, authorization] of Object.entries(cases)) {
      const response = await rawRequest('POST', { ...post, ...(authorization ? { authorization } : {}) }, initialize);
      expect(response.status, name).toBe(401);
      expect(String(response.headers['www-authenticate']), name).toMatch(/^Bearer realm="OpsPilot"/);
    }
    await expect(connect(null)).rejects.toThrow();
    await expect(connect(keys.revoked)).rejects.toThrow();
  });

  it('is stateless: GET and DELETE answer 405; a rebinding Host or a foreign Origin answers 403', async () => {
    const auth = { authorization: `Bearer ${keys.read}` };
    expect((await rawRequest('GET', { ...auth, accept: 'text/event-stream' })).status).toBe(405);
    expect((await rawRequest('DELETE', auth)).status).toBe(405);
    expect((await rawRequest('POST', { ...post, ...auth, host: 'attacker.example' }, initialize)).status).toBe(403);
    expect((await rawRequest('POST', { ...post, ...auth, origin: 'https://attacker.example' }, initialize)).status).toBe(403);
    expect((await rawRequest('POST', { ...post, ...auth, origin: baseUrl }, initialize)).status).toBe(200);
  });

  it('keeps the widget URI stable across requests and changes it when the widget HTML changes', async () => {
    const first = await connect(keys.read);
    const second = await connect(keys.read);
    const uriOf = async (client: Client) => (await client.listTools()).tools.find((tool) => tool.name === appTools.showDashboard.name)!._meta!['openai/outputTemplate'];
    expect(await uriOf(first)).toBe(await uriOf(second));
    const other = await createStaticWidgetSource(`${widgetPage}<!-- build 2 -->`).load(baseUrl);
    expect(other.uri).not.toBe(await uriOf(first));
    await Promise.all([first.close(), second.close()]);
  });
});
