import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, startTestMcpServer, type TestMcpServer } from '../testing';
import { createCompositeActionInvoker, createInternalActionInvoker, createRecordingEffectPort, isRetryableError, type ActionInvoker } from '../workflows';
import { createGatewayActionInvoker } from './action-invoker';

describe('gateway as the workflow engine action invoker', () => {
  let upstream: TestMcpServer;
  let fixture: ReturnType<typeof createTestGateway>;

  beforeEach(async () => {
    upstream = await startTestMcpServer();
    fixture = createTestGateway();
    await fixture.gateway.createMcpServer('ws_a', { name: 'ext', url: upstream.url });
  });

  afterEach(async () => {
    await fixture.gateway.close();
    await upstream.close();
  });

  const request = (tool: string, input: Record<string, unknown>) => ({
    workspaceId: 'ws_a',
    tool,
    input,
    idempotencyKey: 'run_7:node_2',
    runId: 'run_7',
    nodeId: 'node_2',
    signal: new AbortController().signal,
  });

  it('returns structured output, audits the run as actor and makes a retried step a no-op', async () => {
    const invoker = createGatewayActionInvoker(fixture.gateway);
    expect(await invoker.invoke(request('ext__add_note', { note: 'n' }))).toEqual({ count: 1 });
    expect(await invoker.invoke(request('ext__add_note', { note: 'n' }))).toEqual({ count: 1 });
    expect(upstream.notes).toEqual(['n']);
    expect(fixture.store.toolCalls[0]).toMatchObject({ actor: { type: 'workflow', id: 'run_7', runId: 'run_7' }, idempotencyKey: 'run_7:node_2' });
  });

  it('throws on tool errors: BAD_REQUEST for invalid input, PRECONDITION_FAILED for a refusal, UNAVAILABLE when overloaded', async () => {
    const invoker = createGatewayActionInvoker(fixture.gateway);
    await expect(invoker.invoke(request('ext__fail', {}))).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(invoker.invoke({ ...request('ext__overloaded', {}), idempotencyKey: 'busy' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(invoker.invoke({ ...request('ext__echo', { text: 42 }), idempotencyKey: 'other' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it("plugs into the engine's composite invoker, with retry classification the engine understands", async () => {
    const gatewayInvoker: ActionInvoker = createGatewayActionInvoker(fixture.gateway);
    const invoker = createCompositeActionInvoker({ internal: createInternalActionInvoker(createRecordingEffectPort()), gateway: gatewayInvoker });
    expect(await invoker.invoke(request('ext__echo', { text: 'via engine' }))).toEqual({ text: 'via engine' });
    const invalid = await invoker.invoke({ ...request('ext__echo', { text: 1 }), idempotencyKey: 'k2' }).catch((error: unknown) => error);
    expect(isRetryableError(invalid)).toBe(false);
    const refused = await invoker.invoke({ ...request('ext__fail', {}), idempotencyKey: 'k3' }).catch((error: unknown) => error);
    expect(isRetryableError(refused)).toBe(false);
    const overloaded = await invoker.invoke({ ...request('ext__overloaded', {}), idempotencyKey: 'k5' }).catch((error: unknown) => error);
    expect(isRetryableError(overloaded)).toBe(true);
    const unknown = await invoker.invoke({ ...request('ext__nope', {}), idempotencyKey: 'k4' }).catch((error: unknown) => error);
    expect(isRetryableError(unknown)).toBe(false);
  });

  it('retries a step whose key another call still holds, and fails one whose key was used with other arguments', async () => {
    const invoker: ActionInvoker = createGatewayActionInvoker(fixture.gateway);
    await invoker.invoke({ ...request('ext__add_note', { note: 'probe' }), idempotencyKey: 'probe' });
    const argsHash = fixture.store.toolCalls.at(-1)?.argsHash ?? '';
    const leaseUntil = new Date(fixture.deps.clock.now().getTime() + 30_000);
    fixture.store.idempotencyKeys.set('ws_a\u0000ext__add_note\u0000held', { argsHash, state: 'pending', callId: 'elsewhere', result: null, leaseUntil });
    // The gateway waits up to the call's timeout for the holder; a short server timeout keeps the test quick.
    const held = await createGatewayActionInvoker({
      callTool: (call) => fixture.gateway.callTool({ ...call, timeoutMs: 100 }),
    })
      .invoke({ ...request('ext__add_note', { note: 'probe' }), idempotencyKey: 'held' })
      .catch((error: unknown) => error);
    expect(held).toMatchObject({ code: 'UNAVAILABLE', retryAfterSeconds: 30 });
    expect(isRetryableError(held)).toBe(true);
    const reused = await invoker.invoke({ ...request('ext__add_note', { note: 'other' }), idempotencyKey: 'probe' }).catch((error: unknown) => error);
    expect(reused).toMatchObject({ code: 'CONFLICT' });
    expect(isRetryableError(reused)).toBe(false);
    expect(upstream.notes).toEqual(['probe']);
  });
});
