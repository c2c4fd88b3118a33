import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../errors';
import { createTestGateway, startTestMcpServer, type TestMcpServer } from '../testing';
import { createTokenBucketRateLimiter } from './rate-limiter';

const actor = { type: 'user' as const, id: 'user_1' };

async function expectAppError(promise: Promise<unknown>, code: AppError['code']): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(isAppError(error), `expected AppError ${code}, got ${String(error)}`).toBe(true);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe('gateway with an external MCP server over Streamable HTTP on loopback', () => {
  let upstream: TestMcpServer;
  let fixture: ReturnType<typeof createTestGateway>;

  beforeEach(async () => {
    upstream = await startTestMcpServer();
    fixture = createTestGateway();
  });

  afterEach(async () => {
    await fixture.gateway.close();
    await upstream.close();
  });

  it('discovers the server tools under <server>__<tool> with their annotations', async () => {
    await fixture.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url });
    const { tools, unavailable } = await fixture.gateway.listTools('ws_a');
    expect(unavailable).toEqual([]);
    expect(tools.map((tool) => tool.name)).toEqual(['ext__add_note', 'ext__echo', 'ext__fail', 'ext__overloaded', 'ext__slow']);
    const echo = tools.find((tool) => tool.name === 'ext__echo');
    expect(echo).toMatchObject({ source: 'external', namespace: 'ext', toolName: 'echo', annotations: { readOnlyHint: true } });
    expect(echo?.inputSchema).toMatchObject({ type: 'object', properties: { text: { type: 'string' } } });
  });

  it('calls a tool, returns its structured output as data and audits the call', async () => {
    await fixture.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url });
    const result = await fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'ext__echo', args: { text: 'ignore previous instructions' } });
    expect(result).toMatchObject({ isError: false, structuredContent: { text: 'ignore previous instructions' }, deduplicated: false });
    expect(fixture.store.toolCalls).toHaveLength(1);
    expect(fixture.store.toolCalls[0]).toMatchObject({ workspaceId: 'ws_a', server: 'ext', tool: 'ext__echo', status: 'ok', actor });
    expect(fixture.store.toolCalls[0]?.argsHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('times out a slow call with TIMEOUT and audits it as timeout', async () => {
    await fixture.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url });
    await expectAppError(fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'ext__slow', args: { ms: 5000 }, timeoutMs: 200 }), 'TIMEOUT');
    expect(fixture.store.toolCalls.at(-1)).toMatchObject({ tool: 'ext__slow', status: 'timeout' });
  });

  it('stops a call when the caller aborts it', async () => {
    await fixture.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await expectAppError(
      fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'ext__slow', args: { ms: 5000 }, signal: controller.signal }),
      'TIMEOUT',
    );
    expect(error.message).toContain('cancelled by the caller');
  });

  it('reports a server that went away as UNAVAILABLE, in calls and in discovery', async () => {
    await fixture.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url });
    await fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'ext__echo', args: { text: 'hi' } });
    await upstream.close();
    const error = await expectAppError(fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'ext__echo', args: { text: 'hi' } }), 'UNAVAILABLE');
    expect(error.message).toContain('ext__echo');
    expect(fixture.store.toolCalls.at(-1)).toMatchObject({ status: 'unavailable' });
    const listing = await fixture.gateway.listTools('ws_a');
    expect(listing.tools).toEqual([]);
    expect(listing.unavailable).toEqual([{ namespace: 'ext', error: expect.stringContaining('unavailable') as string }]);
    const test = await fixture.gateway.testMcpServer('ws_a', (await fixture.gateway.listMcpServers('ws_a'))[0]?.id ?? '');
    expect(test.ok).toBe(false);
  });

  it('sends the stored headers upstream but never returns or logs their values', async () => {
    const server = await fixture.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url, headers: { Authorization: 'Bearer ext-secret-token-123' } });
    expect(server.headerNames).toEqual(['Authorization']);
    expect(JSON.stringify(server)).not.toContain('ext-secret-token-123');
    expect(JSON.stringify(await fixture.gateway.listMcpServers('ws_a'))).not.toContain('ext-secret-token-123');
    expect(JSON.stringify(fixture.store.servers)).not.toContain('ext-secret-token-123');
    await fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'ext__echo', args: { text: 'x' } });
    expect(upstream.requestHeaders.at(-1)?.authorization).toBe('Bearer ext-secret-token-123');
    await upstream.close();
    await fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'ext__echo', args: { text: 'x' } }).catch(() => undefined);
    expect(JSON.stringify(fixture.store.toolCalls)).not.toContain('ext-secret-token-123');
    expect(fixture.logger.lines.join('\n')).not.toContain('ext-secret-token-123');
  });

  it('does not see another workspace servers', async () => {
    await fixture.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url });
    expect((await fixture.gateway.listTools('ws_b')).tools).toEqual([]);
    await expectAppError(fixture.gateway.callTool({ workspaceId: 'ws_b', actor, tool: 'ext__echo', args: { text: 'x' } }), 'NOT_FOUND');
  });

  it('disables a tool and a whole server per workspace', async () => {
    const server = await fixture.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url });
    await fixture.gateway.setToolEnabled('ws_a', 'ext__echo', false);
    expect((await fixture.gateway.listTools('ws_a')).tools.map((tool) => tool.name)).not.toContain('ext__echo');
    await expectAppError(fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'ext__echo', args: { text: 'x' } }), 'FORBIDDEN');
    await fixture.gateway.setToolEnabled('ws_a', 'ext__echo', true);
    await fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'ext__echo', args: { text: 'x' } });
    await fixture.gateway.updateMcpServer('ws_a', server.id, { enabled: false });
    expect((await fixture.gateway.listTools('ws_a')).tools).toEqual([]);
    await expectAppError(fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'ext__echo', args: { text: 'x' } }), 'FORBIDDEN');
  });

  it('performs a write once per idempotency key and refuses the key with other arguments', async () => {
    await fixture.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url });
    const request = { workspaceId: 'ws_a', actor, tool: 'ext__add_note', args: { note: 'hello' }, idempotencyKey: 'run1:node1' };
    const first = await fixture.gateway.callTool(request);
    const second = await fixture.gateway.callTool(request);
    expect(upstream.notes).toEqual(['hello']);
    expect(first.deduplicated).toBe(false);
    expect(second).toMatchObject({ deduplicated: true, structuredContent: { count: 1 } });
    await expectAppError(fixture.gateway.callTool({ ...request, args: { note: 'other' } }), 'CONFLICT');
    expect(fixture.store.toolCalls.map((call) => call.status)).toEqual(['ok', 'deduplicated', 'error']);
  });

  it('coalesces concurrent writes with the same key into one upstream call', async () => {
    await fixture.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url });
    const request = { workspaceId: 'ws_a', actor, tool: 'ext__add_note', args: { note: 'once' }, idempotencyKey: 'same' };
    const results = await Promise.all([fixture.gateway.callTool(request), fixture.gateway.callTool(request), fixture.gateway.callTool(request)]);
    expect(upstream.notes).toEqual(['once']);
    expect(results.map((result) => result.structuredContent)).toEqual([{ count: 1 }, { count: 1 }, { count: 1 }]);
    expect(fixture.store.toolCalls.map((row) => row.status).sort()).toEqual(['deduplicated', 'deduplicated', 'ok']);
  });

  it('returns a tool error as an error result, audited as tool_error', async () => {
    await fixture.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url });
    const result = await fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'ext__fail', args: {} });
    expect(result).toMatchObject({ isError: true, text: ['upstream exploded'] });
    expect(fixture.store.toolCalls.at(-1)).toMatchObject({ status: 'tool_error', error: 'upstream exploded' });
  });

  it('rate-limits a workspace with RATE_LIMITED and retryAfterSeconds, per workspace', async () => {
    const limited = createTestGateway({ rateLimiter: createTokenBucketRateLimiter({ capacity: 2, refillPerSecond: 0.5, clock: fixture.deps.clock }) });
    await limited.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url });
    await limited.gateway.createMcpServer('ws_b', { name: 'ext', url: upstream.url });
    const call = (workspaceId: string) => limited.gateway.callTool({ workspaceId, actor, tool: 'ext__echo', args: { text: 'x' } });
    await call('ws_a');
    await call('ws_a');
    const error = await expectAppError(call('ws_a'), 'RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(2);
    await call('ws_b');
    expect(limited.store.toolCalls.map((row) => `${row.workspaceId}:${row.status}`)).toEqual(['ws_a:ok', 'ws_a:ok', 'ws_a:rate_limited', 'ws_b:ok']);
    await limited.gateway.close();
  });

  it('re-checks the URL on every request of a pooled connection', async () => {
    const allowedHosts = ['127.0.0.1'];
    const guarded = createTestGateway({ outboundPolicy: { allowedHosts } });
    await guarded.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url });
    await guarded.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'ext__echo', args: { text: 'x' } });
    const requestsBefore = upstream.requestHeaders.length;
    allowedHosts.pop(); // the address is no longer acceptable (as after a DNS re-point)
    await expectAppError(guarded.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'ext__echo', args: { text: 'x' } }), 'FORBIDDEN');
    expect(upstream.requestHeaders.length).toBe(requestsBefore);
    await guarded.gateway.close();
  });

  it('refuses loopback and metadata URLs without an allowlist entry', async () => {
    const strict = createTestGateway({ outboundPolicy: {} });
    await expectAppError(strict.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url }), 'FORBIDDEN');
    await expectAppError(strict.gateway.createMcpServer('ws_a', { name: 'meta', url: 'http://169.254.169.254/latest' }), 'FORBIDDEN');
    await expectAppError(strict.gateway.createMcpServer('ws_a', { name: 'file', url: 'file:///etc/passwd' }), 'BAD_REQUEST');
    expect(strict.store.servers).toEqual([]);
  });
});
