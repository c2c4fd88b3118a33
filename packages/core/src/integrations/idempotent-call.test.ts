import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, settledCode, startTestMcpServer, type TestMcpServer } from '../testing';

const actor = { type: 'workflow' as const, id: 'run_1' };

describe('idempotency keys reserved through the audit port (shared by processes)', () => {
  let upstream: TestMcpServer;
  let first: ReturnType<typeof createTestGateway>;
  let second: ReturnType<typeof createTestGateway>;

  beforeEach(async () => {
    upstream = await startTestMcpServer();
    first = createTestGateway();
    // A second gateway over the same store: what another process sees through the database.
    second = createTestGateway({ integrations: first.store.repository, audit: first.store.audit, sandbox: first.store.sandbox, secretKey: first.deps.secretKey });
    await first.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url });
  });

  afterEach(async () => {
    await first.gateway.close();
    await second.gateway.close();
    await upstream.close();
  });

  const request = (key: string, note = 'once') => ({ workspaceId: 'ws_a', actor, tool: 'ext__add_note', args: { note }, idempotencyKey: key });

  it('two gateways racing one key act once and answer the same result', async () => {
    const results = await Promise.all([first.gateway.callTool(request('k1')), second.gateway.callTool(request('k1'))]);
    expect(upstream.notes).toEqual(['once']);
    expect(results.map((result) => result.structuredContent)).toEqual([{ count: 1 }, { count: 1 }]);
    expect(results.map((result) => result.deduplicated).sort()).toEqual([false, true]);
    expect(first.store.idempotencyKeys.get('ws_a\u0000ext__add_note\u0000k1')).toMatchObject({ state: 'done' });
  });

  it('tells a caller the key is in progress while a live holder has it, and takes over a holder past its lease', async () => {
    const holder = { argsHash: '', state: 'pending' as const, callId: 'toolcall_elsewhere', result: null, leaseUntil: new Date(Date.parse('2026-11-25T12:00:30.000Z')) };
    // The hash the gateway computes for { note: 'once' }: read it from a first, unrelated call's audit row.
    await first.gateway.callTool({ ...request('probe'), idempotencyKey: 'probe' });
    holder.argsHash = first.store.toolCalls.at(-1)?.argsHash ?? '';
    first.store.idempotencyKeys.set('ws_a\u0000ext__add_note\u0000k2', { ...holder });
    expect(await settledCode(second.gateway.callTool({ ...request('k2'), timeoutMs: 150 }))).toBe('CONFLICT');
    expect(upstream.notes).toEqual(['once']);
    second.advanceClock(60_000);
    const taken = await second.gateway.callTool(request('k2'));
    expect(taken.deduplicated).toBe(false);
    expect(upstream.notes).toEqual(['once', 'once']);
  });

  it('frees the key after a failed call so a retry acts, and refuses the key with other arguments', async () => {
    const failing = { workspaceId: 'ws_a', actor, tool: 'ext__fail', args: {}, idempotencyKey: 'k3' };
    expect((await first.gateway.callTool(failing)).isError).toBe(true);
    expect((await second.gateway.callTool(failing)).isError).toBe(true);
    expect(first.store.toolCalls.filter((row) => row.tool === 'ext__fail').map((row) => row.status)).toEqual(['tool_error', 'tool_error']);
    await first.gateway.callTool(request('k4', 'a'));
    expect(await settledCode(second.gateway.callTool(request('k4', 'b')))).toBe('CONFLICT');
  });
});
