import { defaultAgents } from '@opspilot/core/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, describePostgres, type TestDatabase } from '../testing';
import { createAgentRepository } from './agent-repository';
import { createChatRepository } from './chat-repository';

let db: TestDatabase;

beforeAll(async () => {
  db = await createEmbeddedTestDatabase();
  for (const id of ['w1', 'w2']) await db.prisma.workspace.create({ data: { id, name: id, slug: id } });
}, 60_000);

afterAll(async () => {
  await db?.close();
});

describe('chat repository', () => {
  it('numbers concurrent events 1..n without gaps and keeps lastSeq in step', async () => {
    const chats = createChatRepository(db);
    const session = await chats.createSession({ workspaceId: 'w1', title: 'Seq', createdById: null });
    const at = new Date('2026-11-25T00:00:00Z');
    const written = await Promise.all(
      Array.from({ length: 25 }, (_, index) => chats.appendEvent({ workspaceId: 'w1', sessionId: session.id, body: { type: 'text-delta', agent: 'planner', text: String(index) }, at })),
    );
    expect(written.map((event) => event.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    expect((await chats.findSession('w1', session.id))?.lastSeq).toBe(25);
    const after = await chats.listEventsAfter(session.id, 20, 100);
    expect(after.map((event) => event.seq)).toEqual([21, 22, 23, 24, 25]);
    expect(after[0]).toMatchObject({ type: 'text-delta', sessionId: session.id, at: at.toISOString() });
  });

  it('refuses to write into another workspace\'s session and hides it from reads', async () => {
    const chats = createChatRepository(db);
    const session = await chats.createSession({ workspaceId: 'w1', title: 'Private', createdById: null });
    await expect(chats.appendEvent({ workspaceId: 'w2', sessionId: session.id, body: { type: 'text-delta', agent: 'planner', text: 'x' }, at: new Date() })).rejects.toThrow(/not found/);
    expect(await chats.findSession('w2', session.id)).toBeNull();
    expect(await chats.listEventsAfter(session.id, 0, 10)).toEqual([]);
  });

  it('lists messages oldest first', async () => {
    const chats = createChatRepository(db);
    const session = await chats.createSession({ workspaceId: 'w1', title: 'Messages', createdById: null });
    await chats.appendMessage({ workspaceId: 'w1', sessionId: session.id, role: 'user', content: 'first' });
    await chats.appendMessage({ workspaceId: 'w1', sessionId: session.id, role: 'assistant', content: 'second' });
    expect((await chats.listMessages('w1', session.id, { limit: 10 })).map((message) => message.content)).toEqual(['first', 'second']);
  });
});

describe('agent repository', () => {
  it('inserts the default agents once and updates one in its workspace only', async () => {
    const agents = createAgentRepository(db);
    await agents.insertMissingAgents('w1', [...defaultAgents]);
    await agents.insertMissingAgents('w1', [...defaultAgents]);
    const listed = await agents.listAgents('w1');
    expect(listed.map((agent) => agent.kind).sort()).toEqual(['ops-intelligence', 'planner', 'remediation', 'ui-designer']);
    const ops = listed.find((agent) => agent.kind === 'ops-intelligence')!;
    expect(await agents.updateAgent('w2', ops.id, { enabled: false })).toBeNull();
    const updated = await agents.updateAgent('w1', ops.id, { model: 'openai:gpt-4.1-mini', allowedTools: ['stripe__*'] });
    expect(updated).toMatchObject({ kind: 'ops-intelligence', model: 'openai:gpt-4.1-mini', allowedTools: ['stripe__*'], enabled: true });
  });
});

describePostgres('chat event seqs on PostgreSQL (concurrent connections)', () => {
  let pg: TestDatabase;
  beforeAll(async () => {
    pg = await createPostgresTestDatabase();
    await pg.prisma.workspace.create({ data: { id: 'w1', name: 'w1', slug: 'w1' } });
  }, 60_000);
  afterAll(async () => {
    await pg?.close();
  });

  it('gives 50 concurrent writers distinct, gapless seqs', async () => {
    const chats = createChatRepository(pg);
    const session = await chats.createSession({ workspaceId: 'w1', title: 'Seq', createdById: null });
    const written = await Promise.all(
      Array.from({ length: 50 }, (_, index) => chats.appendEvent({ workspaceId: 'w1', sessionId: session.id, body: { type: 'text-delta', agent: 'planner', text: String(index) }, at: new Date() })),
    );
    expect(written.map((event) => event.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    expect((await chats.listEventsAfter(session.id, 0, 100)).map((event) => event.seq)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
  });
});
