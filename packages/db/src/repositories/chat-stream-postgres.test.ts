import { createDeltaCoalescer, emitChatEvent, streamChatEvents, type ChatEvent } from '@opspilot/core/agents';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../client';
import { createEventBus, type ClosableEventBus } from '../event-bus';
import { createPostgresTestDatabase, describePostgres, type TestDatabase } from '../testing';
import { createChatRepository } from './chat-repository';

// Two "processes": separate connection pools and separate LISTEN connections on one PostgreSQL database.
describePostgres('chat streams across processes on PostgreSQL', () => {
  let writerDb: TestDatabase & { url: string };
  let readerDb: Database;
  let writerBus: ClosableEventBus;
  let readerBus: ClosableEventBus;

  beforeAll(async () => {
    writerDb = await createPostgresTestDatabase();
    readerDb = await openDatabase({ mode: 'postgres', url: writerDb.url });
    writerBus = createEventBus(writerDb);
    readerBus = createEventBus(readerDb);
    await writerDb.prisma.workspace.create({ data: { id: 'w1', name: 'w1', slug: 'w1' } });
  }, 60_000);

  afterAll(async () => {
    await readerBus?.close();
    await writerBus?.close();
    await readerDb?.close();
    await writerDb?.close();
  });

  it('delivers events written in one process to a subscriber in another, and resumes there exactly once', async () => {
    const writer = { chats: createChatRepository(writerDb), bus: writerBus, clock: { now: () => new Date() } };
    const reader = { chats: createChatRepository(readerDb), bus: readerBus };
    const session = await writer.chats.createSession({ workspaceId: 'w1', title: 'across', createdById: null });
    const target = { workspaceId: 'w1', sessionId: session.id };
    await emitChatEvent(writer, target, { type: 'text-delta', agent: 'planner', text: 'before subscribing' });
    const received: ChatEvent[] = [];
    const consumed = (async () => {
      for await (const event of streamChatEvents(reader, { sessionId: session.id, afterSeq: 0, untilTerminal: true })) received.push(event);
    })();
    for (let index = 0; index < 20; index += 1) await emitChatEvent(writer, target, { type: 'text-delta', agent: 'planner', text: `live ${index}` });
    await emitChatEvent(writer, target, { type: 'done', messageId: 'm1', usage: { steps: 1, tokens: 0, durationMs: 1 } });
    await consumed;
    expect(received.map((event) => event.seq)).toEqual(Array.from({ length: 22 }, (_, index) => index + 1));
    const resumed: number[] = [];
    for await (const event of streamChatEvents(reader, { sessionId: session.id, afterSeq: 15, untilTerminal: true })) resumed.push(event.seq);
    expect(resumed).toEqual([16, 17, 18, 19, 20, 21, 22]);
  });

  it('carries coalesced deltas across processes in order, with the text whole, and resumes mid-answer exactly once', async () => {
    const writer = { chats: createChatRepository(writerDb), bus: writerBus, clock: { now: () => new Date() } };
    const reader = { chats: createChatRepository(readerDb), bus: readerBus };
    const session = await writer.chats.createSession({ workspaceId: 'w1', title: 'coalesced', createdById: null });
    const target = { workspaceId: 'w1', sessionId: session.id };
    const received: ChatEvent[] = [];
    const consumed = (async () => {
      for await (const event of streamChatEvents(reader, { sessionId: session.id, afterSeq: 0, untilTerminal: true })) received.push(event);
    })();
    const events = createDeltaCoalescer((body) => emitChatEvent(writer, target, body).then(() => undefined), { windowMs: 50, maxChars: 512 });
    const parts = Array.from({ length: 200 }, (_, index) => `p${index} `);
    for (const part of parts.slice(0, 100)) await events.push({ type: 'text-delta', agent: 'ops-intelligence', text: part });
    await events.push({ type: 'tool-call', agent: 'ops-intelligence', callId: 'c1', tool: 'opspilot__metric', args: {} });
    for (const part of parts.slice(100)) await events.push({ type: 'text-delta', agent: 'ops-intelligence', text: part });
    await events.push({ type: 'done', messageId: 'm1', usage: { steps: 1, tokens: 0, durationMs: 1 } });
    events.close();
    await consumed;
    const stored = await reader.chats.listEventsAfter(session.id, 0, 1000);
    expect(received.map((event) => event.seq)).toEqual(stored.map((event) => event.seq));
    expect(stored.length).toBeLessThan(50);
    const textOf = (list: ChatEvent[]) => list.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');
    const call = received.findIndex((event) => event.type === 'tool-call');
    expect(textOf(received.slice(0, call))).toBe(parts.slice(0, 100).join(''));
    expect(textOf(received.slice(call))).toBe(parts.slice(100).join(''));
    const middle = received[Math.floor(received.length / 2)]!.seq;
    const resumed: ChatEvent[] = [];
    for await (const event of streamChatEvents(reader, { sessionId: session.id, afterSeq: middle, untilTerminal: true })) resumed.push(event);
    expect(resumed.map((event) => event.seq)).toEqual(stored.filter((event) => event.seq > middle).map((event) => event.seq));
  });
});
