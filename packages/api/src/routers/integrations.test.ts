import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordingLogger, startFakeStripe, startTestMcpServer, type FakeStripe, type TestMcpServer } from '@opspilot/core/testing';
import { asKey, asUser, callRest, createTestCaller, signUpTestUser } from '../auth/testing';
import { createRuntime, type Runtime } from '../runtime';

type Caller = Awaited<ReturnType<typeof createTestCaller>>;

const stripeSecret = 'sk_test_51SuperSecretValueThatMustNeverLeak';
const rotatedSecret = 'sk_test_51RotatedSecretValueThatMustNeverLeak';
const headerSecret = 'Bearer mcp-header-secret-value-0123456789';

describe('integrations and mcpServers routers', () => {
  let runtime: Runtime;
  const logger = createRecordingLogger();
  let stripe: FakeStripe;
  let external: TestMcpServer;
  let workspaceA: string;
  let workspaceB: string;
  let ownerA: Caller;
  let ownerB: Caller;
  let adminKeyA: string;
  let readKeyA: string;

  beforeAll(async () => {
    stripe = await startFakeStripe({ apiKeys: [stripeSecret, rotatedSecret] });
    external = await startTestMcpServer();
    runtime = await createRuntime({
      env: { NODE_ENV: 'test', OPSPILOT_DATA_DIR: 'memory://', OPSPILOT_MCP_ALLOWED_HOSTS: ' 127.0.0.1 , ' },
      seedWhenEmpty: false,
      logger,
      printDemoCredentials: false,
      limits: { perPrincipalPerMinute: 1_000_000, perIpPerMinute: 1_000_000 },
    });
    ownerA = await createTestCaller(runtime, asUser(await signUpTestUser(runtime, 'Ann')));
    ownerB = await createTestCaller(runtime, asUser(await signUpTestUser(runtime, 'Ben')));
    workspaceA = (await ownerA.workspace.create({ name: 'A Co' })).id;
    workspaceB = (await ownerB.workspace.create({ name: 'B Co' })).id;
    adminKeyA = (await ownerA.apiKey.create({ workspaceId: workspaceA, name: 'admin', scopes: ['read', 'write', 'admin'] })).secret;
    readKeyA = (await ownerA.apiKey.create({ workspaceId: workspaceA, name: 'reader', scopes: ['read'] })).secret;
  }, 120_000);
  afterAll(async () => {
    await runtime?.close();
    await stripe?.close();
    await external?.close();
  });

  const rest = (method: string, path: string, key: string, body?: unknown) => callRest(runtime, { method, path, key, body });

  it('lets only admins create integrations', async () => {
    const reader = await createTestCaller(runtime, asKey(readKeyA));
    await expect(reader.integrations.create({ workspaceId: workspaceA, provider: 'slack' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const denied = await rest('POST', `/v1/workspaces/${workspaceA}/integrations`, readKeyA, { provider: 'slack' });
    expect(denied.status).toBe(403);
    expect(await reader.integrations.list({ workspaceId: workspaceA })).toEqual([]);
  });

  it('takes credentials on create and update, uses them live, and never returns or logs them', async () => {
    const outputs: unknown[] = [];
    const created = await ownerA.integrations.create({ workspaceId: workspaceA, provider: 'stripe', mode: 'live', credentials: { secretKey: stripeSecret }, config: { baseUrl: stripe.url } });
    outputs.push(created);
    expect(created).toMatchObject({ provider: 'stripe', mode: 'live', hasCredentials: true });
    const call = await ownerA.tools.invoke({ workspaceId: workspaceA, tool: 'stripe__list_customers', args: { limit: 2 } });
    outputs.push(call);
    expect(call.isError).toBe(false);
    expect(stripe.requests.at(-1)?.headers.authorization).toBe(`Bearer ${stripeSecret}`);
    outputs.push(await ownerA.integrations.update({ workspaceId: workspaceA, integrationId: created.id, credentials: { secretKey: rotatedSecret } }));
    outputs.push(await ownerA.tools.invoke({ workspaceId: workspaceA, tool: 'stripe__get_subscription', args: { subscriptionId: 'sub_missing' } }));
    expect(stripe.requests.at(-1)?.headers.authorization).toBe(`Bearer ${rotatedSecret}`);
    outputs.push(await ownerA.integrations.test({ workspaceId: workspaceA, integrationId: created.id }));
    outputs.push(await ownerA.integrations.list({ workspaceId: workspaceA }));
    outputs.push(await ownerA.tools.list({ workspaceId: workspaceA }));
    outputs.push(await ownerA.tools.auditLog({ workspaceId: workspaceA }));
    const overRest = await rest('GET', `/v1/workspaces/${workspaceA}/integrations`, adminKeyA);
    outputs.push(await overRest.text());
    const everything = JSON.stringify(outputs) + logger.lines.join('\n');
    for (const secret of [stripeSecret, rotatedSecret]) expect(everything).not.toContain(secret);
    const stored = await runtime.db.prisma.integration.findFirstOrThrow({ where: { id: created.id } });
    expect(stored.secretCiphertext).toMatch(/^v1\./);
    expect(stored.secretCiphertext).not.toContain(rotatedSecret);
  });

  it('refuses a live integration whose base URL is private, naming the SSRF guard, and stores nothing', async () => {
    await expect(
      ownerA.integrations.create({ workspaceId: workspaceA, provider: 'supabase', mode: 'live', credentials: { serviceRoleKey: 'service-role-secret-0123456789' }, config: { url: 'http://169.254.169.254' } }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/169.254.169.254/) as unknown });
    expect(await runtime.db.prisma.integration.count({ where: { workspaceId: workspaceA, provider: 'supabase' } })).toBe(0);
  });

  it("keeps workspace A's integrations invisible and untouchable for workspace B", async () => {
    const [integrationA] = await ownerA.integrations.list({ workspaceId: workspaceA });
    expect(integrationA).toBeDefined();
    expect(await ownerB.integrations.list({ workspaceId: workspaceB })).toEqual([]);
    await expect(ownerB.integrations.list({ workspaceId: workspaceA })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ownerB.integrations.update({ workspaceId: workspaceB, integrationId: integrationA!.id, enabled: false })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ownerB.integrations.delete({ workspaceId: workspaceB, integrationId: integrationA!.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await ownerB.tools.list({ workspaceId: workspaceB })).tools).toEqual([]);
    await expect(ownerB.tools.invoke({ workspaceId: workspaceB, tool: 'stripe__list_customers', args: {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await ownerA.integrations.list({ workspaceId: workspaceA }))[0]?.enabled).toBe(true);
  });

  it("uses each workspace's own credentials: on one shared vendor, B's call carries B's key and A's carries A's", async () => {
    const keyB = 'sk_test_51WorkspaceBOwnKeyValue0123456789';
    const shared = await startFakeStripe({ apiKeys: [keyB, rotatedSecret] });
    const [integrationA] = await ownerA.integrations.list({ workspaceId: workspaceA });
    try {
      await ownerA.integrations.update({ workspaceId: workspaceA, integrationId: integrationA!.id, config: { baseUrl: shared.url } });
      await ownerB.integrations.create({ workspaceId: workspaceB, provider: 'stripe', mode: 'live', credentials: { secretKey: keyB }, config: { baseUrl: shared.url } });
      expect((await ownerB.tools.invoke({ workspaceId: workspaceB, tool: 'stripe__list_customers', args: {} })).isError).toBe(false);
      expect((await ownerA.tools.invoke({ workspaceId: workspaceA, tool: 'stripe__list_customers', args: {} })).isError).toBe(false);
      expect((await ownerB.tools.invoke({ workspaceId: workspaceB, tool: 'stripe__list_customers', args: { limit: 1 } })).isError).toBe(false);
      expect(shared.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${keyB}`, `Bearer ${rotatedSecret}`, `Bearer ${keyB}`]);
    } finally {
      const [integrationB] = await ownerB.integrations.list({ workspaceId: workspaceB });
      if (integrationB) await ownerB.integrations.delete({ workspaceId: workspaceB, integrationId: integrationB.id });
      await ownerA.integrations.update({ workspaceId: workspaceA, integrationId: integrationA!.id, config: { baseUrl: stripe.url } });
      await shared.close();
    }
  });

  it('adds an external MCP server over real HTTP on loopback: discovery, calls, header names only, delete', async () => {
    const server = await ownerA.mcpServers.create({ workspaceId: workspaceA, name: 'notes', url: external.url, headers: { authorization: headerSecret } });
    expect(server).toMatchObject({ name: 'notes', headerNames: ['authorization'] });
    expect(await ownerA.mcpServers.test({ workspaceId: workspaceA, mcpServerId: server.id })).toEqual({ ok: true, toolCount: 5, error: null });
    const tools = (await ownerA.tools.list({ workspaceId: workspaceA })).tools.filter((tool) => tool.namespace === 'notes');
    expect(tools.map((tool) => tool.name).sort()).toEqual(['notes__add_note', 'notes__echo', 'notes__fail', 'notes__overloaded', 'notes__slow']);
    expect(tools.every((tool) => tool.source === 'external')).toBe(true);
    expect(await ownerA.tools.invoke({ workspaceId: workspaceA, tool: 'notes__echo', args: { text: 'hello' } })).toMatchObject({ structuredContent: { text: 'hello' } });
    await ownerA.tools.invoke({ workspaceId: workspaceA, tool: 'notes__add_note', args: { note: 'from the console' } });
    expect(external.notes).toEqual(['from the console']);
    // No annotations: by the MCP defaults a non-read-only tool is destructive.
    await expect(ownerA.tools.invoke({ workspaceId: workspaceA, tool: 'notes__fail', args: {} })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(external.requestHeaders.some((headers) => headers.authorization === headerSecret)).toBe(true);
    await expect(ownerA.tools.invoke({ workspaceId: workspaceA, tool: 'notes__slow', args: { ms: 10_000 }, timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    const listed = await ownerA.mcpServers.list({ workspaceId: workspaceA });
    const updated = await ownerA.mcpServers.update({ workspaceId: workspaceA, mcpServerId: server.id, headers: { 'x-api-key': 'other-header-secret-0123456789' }, timeoutMs: 5_000 });
    expect(updated).toMatchObject({ headerNames: ['x-api-key'], timeoutMs: 5_000 });
    const everything = JSON.stringify([server, listed, updated, await ownerA.tools.auditLog({ workspaceId: workspaceA })]) + logger.lines.join('\n');
    expect(everything).not.toContain('mcp-header-secret-value');
    expect(everything).not.toContain('other-header-secret');
    expect(await ownerA.mcpServers.delete({ workspaceId: workspaceA, mcpServerId: server.id })).toEqual({ id: server.id, deleted: true });
    expect((await ownerA.tools.list({ workspaceId: workspaceA })).tools.some((tool) => tool.namespace === 'notes')).toBe(false);
  });

  it('refuses private and metadata URLs that the allowlist does not name', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://10.0.0.7/mcp', 'http://localhost:8080/mcp', 'http://[::1]:9000/mcp']) {
      await expect(ownerA.mcpServers.create({ workspaceId: workspaceA, name: 'internal', url })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await ownerA.mcpServers.list({ workspaceId: workspaceA })).toEqual([]);
  });

  it('reports a server that went away as unavailable in the listing and SERVICE_UNAVAILABLE on a call', async () => {
    const gone = await startTestMcpServer();
    const server = await ownerA.mcpServers.create({ workspaceId: workspaceA, name: 'ephemeral', url: gone.url });
    expect((await ownerA.tools.list({ workspaceId: workspaceA })).tools.some((tool) => tool.name === 'ephemeral__echo')).toBe(true);
    await gone.close();
    await ownerA.mcpServers.update({ workspaceId: workspaceA, mcpServerId: server.id, timeoutMs: 2_000 });
    const listing = await ownerA.tools.list({ workspaceId: workspaceA });
    expect(listing.unavailable.map((entry) => entry.namespace)).toEqual(['ephemeral']);
    await expect(ownerA.tools.invoke({ workspaceId: workspaceA, tool: 'ephemeral__echo', args: { text: 'x' } })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect((await ownerA.mcpServers.test({ workspaceId: workspaceA, mcpServerId: server.id })).ok).toBe(false);
    await ownerA.mcpServers.delete({ workspaceId: workspaceA, mcpServerId: server.id });
  });
});
