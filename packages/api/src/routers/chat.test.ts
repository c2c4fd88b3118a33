import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { EventSource } from 'eventsource';
import type { AddressInfo } from 'node:net';
import { createModelResolver, type ChatEvent } from '@opspilot/core/agents';
import { startFakeOpenAiServer, type FakeCompletion, type FakeOpenAiServer } from '@opspilot/core/testing';
import { seedDemo } from '@opspilot/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asKey, asUser, createTestCaller, createTestRuntime, signUpTestUser, type TestUser } from '../auth/testing';
import { createOpsPilotClient } from '../client';
import { createOpenApiDocument, handleRestRequest } from '../rest';
import { createContext } from '../context';
import { appRouter } from '../router';
import type { Runtime } from '../runtime';
import { agentDepsFor } from './agents';

const now = new Date('2026-11-25T00:00:00Z');
let runtime: Runtime;
let owner: TestUser;
let workspaceId: string;
let otherWorkspaceId: string;

/** Reads a subscription through createCaller until the turn's done/error event. */
async function readTurn(sessionId: string, lastEventId?: string): Promise<ChatEvent[]> {
  const caller = await createTestCaller(runtime, asUser(owner));
  const stream = await caller.chat.onEvents({ workspaceId, sessionId, untilDone: true, ...(lastEventId ? { lastEventId } : {}) });
  const events: ChatEvent[] = [];
  for await (const envelope of stream) {
    const [, event] = envelope as unknown as [string, ChatEvent];
    events.push(event);
  }
  return events;
}

beforeAll(async () => {
  runtime = await createTestRuntime({ clock: { now: () => new Date(now) } });
  workspaceId = (await seedDemo(runtime.db, { now })).workspaceId;
  owner = await signUpTestUser(runtime, 'Owner');
  await runtime.db.prisma.membership.create({ data: { workspaceId, userId: owner.userId, role: 'owner' } });
  otherWorkspaceId = (await runtime.db.prisma.workspace.create({ data: { name: 'Other', slug: 'other-co' } })).id;
  await runtime.db.prisma.workflow.create({ data: { workspaceId, key: 'dunning-retry', name: 'Retry failed payments', description: 'Retries failed invoices.' } });
}, 240_000);

afterAll(async () => {
  await runtime?.close();
});

describe('chat sessions and turns through the router', () => {
  it('creates and lists sessions, answers a question with stored events, and keeps both messages', async () => {
    const caller = await createTestCaller(runtime, asUser(owner));
    const session = await caller.chat.createSession({ workspaceId, title: 'Revenue' });
    expect((await caller.chat.listSessions({ workspaceId })).map((entry) => entry.id)).toContain(session.id);
    const sent = await caller.chat.send({ workspaceId, sessionId: session.id, message: 'What was MRR last month?' });
    expect(sent.afterSeq).toBe(0);
    const events = await readTurn(session.id);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['agent-status', 'plan', 'text-delta', 'done']));
    const [row] = await runtime.db.query<{ value: number }>(
      `SELECT SUM("mrrAfter" - "mrrBefore")::int AS value FROM "MrrChange" WHERE "workspaceId" = $1 AND "occurredAt" < '2026-11-01'`,
      [workspaceId],
    );
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');
    expect(text).toContain(`$${(row!.value / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
    const messages = await caller.chat.messages({ workspaceId, sessionId: session.id });
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect((await caller.chat.listSessions({ workspaceId })).find((entry) => entry.id === session.id)?.lastSeq).toBe(events.length);
  });

  it('hides another workspace\'s sessions', async () => {
    const caller = await createTestCaller(runtime, asUser(owner));
    const foreign = await agentDepsFor(runtime).chats.createSession({ workspaceId: otherWorkspaceId, title: 'Secret', createdById: null });
    await expect(caller.chat.messages({ workspaceId, sessionId: foreign.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(caller.chat.send({ workspaceId, sessionId: foreign.id, message: 'hi' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(readTurn(foreign.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('"yes" typed in the chat does not approve the pending workflow request', async () => {
    const caller = await createTestCaller(runtime, asUser(owner));
    const session = await caller.chat.createSession({ workspaceId });
    await caller.chat.send({ workspaceId, sessionId: session.id, message: 'Run the retry failed payments workflow' });
    const first = await readTurn(session.id);
    const request = first.find((event) => event.type === 'approval-request');
    expect(request?.type === 'approval-request' && request.action).toEqual({ kind: 'workflow', name: 'dunning-retry', args: {} });
    const approvalId = request?.type === 'approval-request' ? request.approvalId : '';
    const last = first.at(-1)!.seq;
    await caller.chat.send({ workspaceId, sessionId: session.id, message: 'yes' });
    const second = await readTurn(session.id, String(last));
    expect(second[0]?.seq).toBe(last + 1);
    expect(second.some((event) => event.type === 'approval-request')).toBe(false);
    const approval = await runtime.db.prisma.approval.findUniqueOrThrow({ where: { id: approvalId } });
    expect(approval).toMatchObject({ status: 'pending', decidedById: null, version: 0, sessionId: session.id });
    expect(await runtime.db.prisma.workflowRun.count({ where: { workspaceId } })).toBe(0);
  });
});

describe('REST twins under /api/v1', () => {
  it('creates a session, sends a message and reads the messages back with a bearer key', async () => {
    const caller = await createTestCaller(runtime, asUser(owner));
    const { secret } = await caller.apiKey.create({ workspaceId, name: 'rest', scopes: ['write'] });
    const call = (method: string, path: string, body?: unknown) =>
      handleRestRequest(
        new Request(`http://localhost/api/v1/workspaces/${workspaceId}${path}`, {
          method,
          headers: { authorization: `Bearer ${secret}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        }),
        runtime,
      );
    const created = await call('POST', '/chat/sessions', { title: 'From REST' });
    expect(created.status).toBe(200);
    const session = (await created.json()) as { id: string };
    const sent = await call('POST', `/chat/sessions/${session.id}/messages`, { message: 'How many paying customers do we have?' });
    expect(sent.status).toBe(200);
    await readTurn(session.id);
    const messages = (await (await call('GET', `/chat/sessions/${session.id}/messages`)).json()) as { role: string }[];
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    const listed = (await (await call('GET', '/chat/sessions')).json()) as { id: string }[];
    expect(listed.map((entry) => entry.id)).toContain(session.id);
    expect((await (await call('GET', '/agents')).json()) as unknown[]).toHaveLength(4);
    const paths = Object.keys(createOpenApiDocument('http://localhost').paths ?? {});
    expect(paths).toEqual(expect.arrayContaining(['/v1/workspaces/{workspaceId}/chat/sessions', '/v1/workspaces/{workspaceId}/chat/sessions/{sessionId}/messages', '/v1/workspaces/{workspaceId}/agents/{agentId}']));
  });
});

describe('dashboard changes from chat', () => {
  it('applies "add churn rate to the dashboard" through the experience service and streams the patch', async () => {
    const caller = await createTestCaller(runtime, asUser(owner));
    const session = await caller.chat.createSession({ workspaceId });
    await caller.chat.send({ workspaceId, sessionId: session.id, message: 'Add the customer churn rate to the dashboard' });
    const events = await readTurn(session.id);
    const patch = events.find((event) => event.type === 'ui-patch');
    expect(patch?.type === 'ui-patch' && patch.applied).toBe(true);
    const latest = await runtime.db.prisma.uiSchema.findFirstOrThrow({ where: { workspaceId, context: 'main_dashboard' }, orderBy: { version: 'desc' } });
    expect(patch?.type === 'ui-patch' && patch.version).toBe(latest.version);
    expect(JSON.stringify(latest.spec)).toContain('customer_churn_rate');
    expect(events.at(-1)?.type).toBe('done');
  });
});

describe('agents routes', () => {
  it('lists the four default agents and lets an admin change one; a member may not', async () => {
    const caller = await createTestCaller(runtime, asUser(owner));
    const agents = await caller.agents.list({ workspaceId });
    expect(agents.map((agent) => agent.kind)).toEqual(['planner', 'ops-intelligence', 'ui-designer', 'remediation']);
    const ops = agents.find((agent) => agent.kind === 'ops-intelligence')!;
    const updated = await caller.agents.update({ workspaceId, agentId: ops.id, instructions: 'Be brief.', allowedTools: ['stripe__*'] });
    expect(updated).toMatchObject({ instructions: 'Be brief.', allowedTools: ['stripe__*'], model: null });
    await expect(caller.agents.update({ workspaceId, agentId: ops.id, model: 'nonsense' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const member = await signUpTestUser(runtime, 'Member');
    await runtime.db.prisma.membership.create({ data: { workspaceId, userId: member.userId, role: 'member' } });
    const memberCaller = await createTestCaller(runtime, asUser(member));
    await expect(memberCaller.agents.update({ workspaceId, agentId: ops.id, enabled: false })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

/** With a model configured, a turn's first model request is the planner's: this plan hands the turn to ops-intelligence. */
const planOneStep = { text: [JSON.stringify({ steps: [{ agent: 'ops-intelligence', goal: 'Answer from the workspace data.' }] })] };

describe('a workspace model with its own sealed provider key', () => {
  it('answers through the workspace model with the workspace key, which is never stored or shown in clear', async () => {
    const fake = await startFakeOpenAiServer([planOneStep, { text: ['Answer from the workspace model.'] }]);
    try {
      const caller = await createTestCaller(runtime, asUser(owner));
      const secret = 'sk-workspace-secret-123';
      const settings = await caller.agents.setModelSettings({ workspaceId, model: 'openai-compatible:local-model', credentials: { openaiCompatible: { baseURL: fake.baseUrl, apiKey: secret } } });
      expect(settings).toEqual({ model: 'openai-compatible:local-model', storedCredentials: ['openaiCompatible'] });
      const stored = await runtime.db.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { settings: true } });
      expect(JSON.stringify(stored.settings)).not.toContain(secret);
      expect(JSON.stringify(stored.settings)).toContain('"demo"');
      const session = await caller.chat.createSession({ workspaceId });
      await caller.chat.send({ workspaceId, sessionId: session.id, message: 'Tell me something about our ops' });
      const events = await readTurn(session.id);
      expect(events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('')).toBe('Answer from the workspace model.');
      // The planner and the planned step both run on the workspace model with the workspace key.
      expect(fake.requests.map((request) => request.model)).toEqual(['local-model', 'local-model']);
      expect(fake.requests.map((request) => request.authorization)).toEqual([`Bearer ${secret}`, `Bearer ${secret}`]);
    } finally {
      await (await createTestCaller(runtime, asUser(owner))).agents.setModelSettings({ workspaceId, model: null });
      await fake.close();
    }
  });
});

describe('resume over real HTTP SSE with the tRPC client', () => {
  let server: ReturnType<typeof createHTTPServer>;
  let fakeModel: FakeOpenAiServer;
  let baseUrl: string;
  let apiKey: string;
  const twelveParts = Array.from({ length: 12 }, (_, index) => `part ${index}. `);
  let answer: FakeCompletion = { text: twelveParts, delayMs: 40 };

  beforeAll(async () => {
    // Even requests are a turn's planning call, odd ones its answer (the current test's `answer`).
    fakeModel = await startFakeOpenAiServer((_, index) => (index % 2 === 0 ? planOneStep : answer));
    agentDepsFor(runtime, { models: createModelResolver({ credentials: { openaiCompatible: { baseURL: fakeModel.baseUrl } } }), defaultModel: 'openai-compatible:fake' });
    server = createHTTPServer({
      router: appRouter,
      basePath: '/api/trpc/',
      createContext: ({ req }) => createContext({ runtime, headers: new Headers(req.headers as Record<string, string>) }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const caller = await createTestCaller(runtime, asUser(owner));
    apiKey = (await caller.apiKey.create({ workspaceId, name: 'sse', scopes: ['write'] })).secret;
  });

  afterAll(async () => {
    agentDepsFor(runtime, { defaultModel: null });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await fakeModel.close();
  });

  function subscribe(client: ReturnType<typeof createOpsPilotClient>, sessionId: string, lastEventId: string | undefined, onEvent: (id: string, event: ChatEvent) => boolean) {
    return new Promise<void>((resolve, reject) => {
      const subscription = client.chat.onEvents.subscribe(
        { workspaceId, sessionId, ...(lastEventId ? { lastEventId } : {}) },
        {
          onData: (envelope) => {
            if (!onEvent(envelope.id, envelope.data as ChatEvent)) return;
            subscription.unsubscribe();
            resolve();
          },
          onError: reject,
        },
      );
    });
  }

  it('refuses a question over the length limit over HTTP with a sentence naming the field, and the issues in data', async () => {
    const client = createOpsPilotClient({ baseUrl, apiKey, EventSource: EventSource as unknown as typeof globalThis.EventSource });
    const session = await client.chat.createSession.mutate({ workspaceId, title: 'too long' });
    const refusal = await client.chat.send.mutate({ workspaceId, sessionId: session.id, message: 'x'.repeat(8001) }).then(
      () => null,
      (error: unknown) => error as { message: string; data?: { code?: string; issues?: { path: string }[] } },
    );
    expect(refusal?.data?.code).toBe('BAD_REQUEST');
    expect(refusal?.message).toMatch(/^Invalid input: message: .*8000/);
    expect(refusal?.data?.issues?.map((issue) => issue.path)).toEqual(['message']);
  });

  it('drops the stream mid-answer, reconnects with lastEventId and gets every event exactly once', async () => {
    const client = createOpsPilotClient({ baseUrl, apiKey, EventSource: EventSource as unknown as typeof globalThis.EventSource });
    const caller = await createTestCaller(runtime, asKey(apiKey));
    const session = await caller.chat.createSession({ workspaceId, title: 'Resume' });
    await client.chat.send.mutate({ workspaceId, sessionId: session.id, message: 'Tell me a story about our operations' });
    const received: { id: string; seq: number; type: string; text: string }[] = [];
    await subscribe(client, session.id, undefined, (id, event) => {
      received.push({ id, seq: event.seq, type: event.type, text: event.type === 'text-delta' ? event.text : '' });
      return event.type === 'text-delta';
    });
    const droppedAt = received.at(-1)!;
    expect((await runtime.db.prisma.chatEvent.findMany({ where: { sessionId: session.id, type: 'done' } })).length).toBe(0);
    await subscribe(client, session.id, droppedAt.id, (id, event) => {
      received.push({ id, seq: event.seq, type: event.type, text: event.type === 'text-delta' ? event.text : '' });
      return event.type === 'done' || event.type === 'error';
    });
    const stored = await runtime.db.prisma.chatEvent.findMany({ where: { sessionId: session.id }, orderBy: { seq: 'asc' } });
    expect(received.map((event) => event.seq)).toEqual(stored.map((event) => event.seq));
    expect(received.map((event) => event.id)).toEqual(stored.map((event) => String(event.seq)));
    expect(received.at(-1)?.type).toBe('done');
    // Deltas that arrive within 50 ms of the last stored one are stored together (decision 0016): the text is whole.
    expect(received.map((event) => event.text).join('')).toBe(twelveParts.join(''));
  });

  it('resumes in the middle of a long coalesced answer exactly once; a late joiner gets the same events', async () => {
    const parts = Array.from({ length: 300 }, (_, index) => `w${index} `);
    answer = { text: parts, delayMs: 1 };
    const client = createOpsPilotClient({ baseUrl, apiKey, EventSource: EventSource as unknown as typeof globalThis.EventSource });
    const caller = await createTestCaller(runtime, asKey(apiKey));
    const session = await caller.chat.createSession({ workspaceId, title: 'Resume coalesced' });
    await client.chat.send.mutate({ workspaceId, sessionId: session.id, message: 'Tell me a long story about our operations' });
    const received: { id: string; seq: number; type: string; text: string }[] = [];
    const record = (id: string, event: ChatEvent) => received.push({ id, seq: event.seq, type: event.type, text: event.type === 'text-delta' ? event.text : '' });
    let deltasBeforeDrop = 0;
    await subscribe(client, session.id, undefined, (id, event) => {
      record(id, event);
      if (event.type === 'text-delta') deltasBeforeDrop += 1;
      return deltasBeforeDrop === 2;
    });
    const droppedAt = received.at(-1)!;
    expect(await runtime.db.prisma.chatEvent.count({ where: { sessionId: session.id, type: 'done' } })).toBe(0);
    const late: ChatEvent[] = [];
    const lateJoiner = subscribe(client, session.id, undefined, (_, event) => {
      late.push(event);
      return event.type === 'done' || event.type === 'error';
    });
    await subscribe(client, session.id, droppedAt.id, (id, event) => {
      record(id, event);
      return event.type === 'done' || event.type === 'error';
    });
    await lateJoiner;
    const stored = await runtime.db.prisma.chatEvent.findMany({ where: { sessionId: session.id }, orderBy: { seq: 'asc' } });
    expect(received.map((event) => event.id)).toEqual(stored.map((event) => String(event.seq)));
    expect(late.map((event) => event.seq)).toEqual(stored.map((event) => event.seq));
    expect(received.at(-1)?.type).toBe('done');
    expect(received.slice(received.indexOf(droppedAt) + 1).some((event) => event.type === 'text-delta')).toBe(true);
    expect(received.map((event) => event.text).join('')).toBe(parts.join(''));
    expect(stored.filter((event) => event.type === 'text-delta').length).toBeLessThan(parts.length / 3);
    const messages = await caller.chat.messages({ workspaceId, sessionId: session.id });
    expect(messages.at(-1)).toMatchObject({ role: 'assistant', content: parts.join('') });
  });
});
