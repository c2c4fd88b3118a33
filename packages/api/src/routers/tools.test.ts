import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorNames, hashArguments } from '@opspilot/core/integrations';
import { silentLogger } from '@opspilot/core/ports';
import { asKey, asUser, callRest, createTestCaller, signUpTestUser } from '../auth/testing';
import { installDemoConnectors } from '../integrations-runtime';
import { createRuntime, type Runtime } from '../runtime';

type Caller = Awaited<ReturnType<typeof createTestCaller>>;

describe('tools router on the demo workspace (sandbox connectors)', () => {
  let runtime: Runtime;
  let workspaceId: string;
  let ownerId: string;
  let owner: Caller;
  let member: Caller;
  let viewer: Caller;
  let readKey: string;
  let writeKey: string;

  beforeAll(async () => {
    runtime = await createRuntime({
      env: { NODE_ENV: 'test', OPSPILOT_DATA_DIR: 'memory://' },
      logger: silentLogger,
      printDemoCredentials: false,
      limits: { perPrincipalPerMinute: 1_000_000, perIpPerMinute: 1_000_000 },
    });
    workspaceId = (await runtime.db.prisma.workspace.findFirstOrThrow({ where: { isDemo: true } })).id;
    const users = await Promise.all(['Owner', 'Member', 'Viewer'].map((name) => signUpTestUser(runtime, name)));
    const roles = ['owner', 'member', 'viewer'] as const;
    for (const [index, user] of users.entries()) {
      await runtime.db.prisma.membership.create({ data: { workspaceId, userId: user.userId, role: roles[index]! } });
    }
    ownerId = users[0]!.userId;
    owner = await createTestCaller(runtime, asUser(users[0]!));
    member = await createTestCaller(runtime, asUser(users[1]!));
    viewer = await createTestCaller(runtime, asUser(users[2]!));
    readKey = (await owner.apiKey.create({ workspaceId, name: 'reader', scopes: ['read'] })).secret;
    writeKey = (await owner.apiKey.create({ workspaceId, name: 'writer', scopes: ['read', 'write'] })).secret;
  }, 120_000);
  afterAll(async () => runtime?.close());

  const rest = (method: string, path: string, key: string, body?: unknown) => callRest(runtime, { method, path, key, body });

  it('boots the demo workspace with all five connectors in sandbox mode, once', async () => {
    const { tools, unavailable } = await viewer.tools.list({ workspaceId });
    expect(unavailable).toEqual([]);
    expect(new Set(tools.map((tool) => tool.namespace))).toEqual(new Set(connectorNames));
    expect(tools.every((tool) => tool.source === 'built_in' && tool.mode === 'sandbox' && tool.enabled)).toBe(true);
    expect(tools.find((tool) => tool.name === 'stripe__refund_payment')).toMatchObject({ needsApproval: true, annotations: { destructiveHint: true } });
    expect(tools.find((tool) => tool.name === 'slack__post_message')?.needsApproval).toBe(false);
    const integrations = await viewer.integrations.list({ workspaceId });
    expect(integrations.map((integration) => integration.provider).sort()).toEqual([...connectorNames].sort());
    await installDemoConnectors(runtime.db, runtime.gateway, silentLogger);
    expect(await runtime.db.prisma.integration.count({ where: { workspaceId } })).toBe(connectorNames.length);
  });

  it('serves the seed route GET /v1/workspaces/{id}/tools to a read key', async () => {
    const response = await rest('GET', `/v1/workspaces/${workspaceId}/tools`, readKey);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { tools: { name: string }[] };
    expect(body.tools.map((tool) => tool.name)).toContain('stripe__list_failed_invoices');
  });

  it('calls a read tool as the user and records an audit row with the arguments hash', async () => {
    const args = { limit: 3 };
    const result = await member.tools.invoke({ workspaceId, tool: 'stripe__list_customers', args });
    expect(result.isError).toBe(false);
    expect((result.structuredContent?.customers as unknown[]).length).toBe(3);
    const { items } = await viewer.tools.auditLog({ workspaceId, tool: 'stripe__list_customers', limit: 5 });
    expect(items[0]).toMatchObject({ id: result.callId, status: 'ok', actorType: 'user', server: 'stripe', argsHash: hashArguments(args) });
    expect(items[0]?.actorId).not.toBe(ownerId);
  });

  it('refuses a destructive tool with PRECONDITION_FAILED, writes nothing to the outbox and audits the refusal', async () => {
    const outboxBefore = await runtime.db.prisma.sandboxOutbox.count({ where: { workspaceId } });
    await expect(owner.tools.invoke({ workspaceId, tool: 'stripe__refund_payment', args: { paymentIntentId: 'pi_1', reason: 'requested_by_customer' } })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringMatching(/workflow/) as unknown,
    });
    expect(await runtime.db.prisma.sandboxOutbox.count({ where: { workspaceId } })).toBe(outboxBefore);
    const { items } = await viewer.tools.auditLog({ workspaceId, status: 'forbidden', limit: 1 });
    expect(items[0]).toMatchObject({ tool: 'stripe__refund_payment', actorType: 'user', actorId: ownerId });
    const overRest = await rest('POST', `/v1/workspaces/${workspaceId}/tools/call`, writeKey, { tool: 'stripe__refund_payment', args: {} });
    expect(overRest.status).toBe(412);
  });

  it('runs a non-destructive write for an API key: the Slack post lands in the sandbox outbox once', async () => {
    const writer = await createTestCaller(runtime, asKey(writeKey));
    const call = { workspaceId, tool: 'slack__post_message', args: { channel: '#ops', text: 'Failed payments are up' }, idempotencyKey: 'console-1' };
    const first = await writer.tools.invoke(call);
    const second = await writer.tools.invoke(call);
    expect(first.isError).toBe(false);
    expect(second.deduplicated).toBe(true);
    const outbox = await viewer.tools.outbox({ workspaceId, connector: 'slack' });
    expect(outbox.filter((entry) => entry.idempotencyKey === 'console-1')).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ action: 'post_message', payload: expect.objectContaining({ text: 'Failed payments are up' }) as unknown });
    const { items } = await viewer.tools.auditLog({ workspaceId, tool: 'slack__post_message', limit: 2 });
    expect(items.map((item) => item.status)).toEqual(['deduplicated', 'ok']);
    expect(items[1]?.actorType).toBe('api_key');
  });

  it('keeps role boundaries: viewers read, members call, admins switch tools off', async () => {
    const reader = await createTestCaller(runtime, asKey(readKey));
    await expect(reader.tools.invoke({ workspaceId, tool: 'stripe__list_customers', args: {} })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(viewer.tools.invoke({ workspaceId, tool: 'stripe__list_customers', args: {} })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(member.tools.setEnabled({ workspaceId, tool: 'linear__create_issue', enabled: false })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(member.integrations.create({ workspaceId, provider: 'stripe' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(viewer.mcpServers.list({ workspaceId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await owner.tools.setEnabled({ workspaceId, tool: 'linear__create_issue', enabled: false });
    expect((await viewer.tools.list({ workspaceId })).tools.map((tool) => tool.name)).not.toContain('linear__create_issue');
    const all = await viewer.tools.list({ workspaceId, includeDisabled: 'true' });
    expect(all.tools.find((tool) => tool.name === 'linear__create_issue')?.enabled).toBe(false);
    await expect(member.tools.invoke({ workspaceId, tool: 'linear__create_issue', args: { title: 'x' } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await owner.tools.setEnabled({ workspaceId, tool: 'linear__create_issue', enabled: true });
    expect((await viewer.tools.list({ workspaceId })).tools.map((tool) => tool.name)).toContain('linear__create_issue');
  });

  it('answers NOT_FOUND for a tool no server has', async () => {
    await expect(member.tools.invoke({ workspaceId, tool: 'stripe__drop_database', args: {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('pages the audit log by cursor without losing or repeating a row', async () => {
    for (let index = 0; index < 5; index += 1) await member.tools.invoke({ workspaceId, tool: 'slack__list_channels', args: { limit: index + 1 } });
    const total = await runtime.db.prisma.toolCall.count({ where: { workspaceId } });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page += 1) {
      const result = await viewer.tools.auditLog({ workspaceId, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...result.items.map((item) => item.id));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    await expect(viewer.tools.auditLog({ workspaceId, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
