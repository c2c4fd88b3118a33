import { describe, expect, it } from 'vitest';
import { createInMemoryChatRepository, createInMemoryEventBus } from '../testing/in-memory-chat';
import { emitChatEvent, parseLastEventId, streamChatEvents } from './chat-stream';
import type { ChatEvent } from './events';

const clock = { now: () => new Date('2026-11-25T00:00:00Z') };

async function setup() {
  const chats = createInMemoryChatRepository();
  const bus = createInMemoryEventBus();
  const session = await chats.createSession({ workspaceId: 'w1', title: 't', createdById: null });
  const target = { workspaceId: 'w1', sessionId: session.id };
  const emit = (text: string) => emitChatEvent({ chats, bus, clock }, target, { type: 'text-delta', agent: 'planner', text });
  return { chats, bus, session, emit };
}

async function collect(stream: AsyncGenerator<ChatEvent>, count: number): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const event of stream) {
    events.push(event);
    if (events.length === count) break;
  }
  return events;
}

describe('streamChatEvents', () => {
  it('back-fills stored events, then follows live ones, each exactly once and in order', async () => {
    const { chats, bus, session, emit } = await setup();
    await emit('a');
    await emit('b');
    const stream = streamChatEvents({ chats, bus }, { sessionId: session.id, afterSeq: 0 });
    const pending = collect(stream, 4);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await emit('c');
    await emit('d');
    const events = await pending;
    expect(events.map((event) => [event.seq, event.type === 'text-delta' ? event.text : ''])).toEqual([[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd']]);
    expect(bus.subscriberCount()).toBe(0);
  });

  it('resumes after lastEventId without repeating anything', async () => {
    const { chats, bus, session, emit } = await setup();
    for (const text of ['a', 'b', 'c', 'd']) await emit(text);
    const events = await collect(streamChatEvents({ chats, bus }, { sessionId: session.id, afterSeq: parseLastEventId('2') }), 2);
    expect(events.map((event) => event.seq)).toEqual([3, 4]);
  });

  it('fills a gap from the database when a live message is missed', async () => {
    const { chats, bus, session, emit } = await setup();
    const stream = streamChatEvents({ chats, bus }, { sessionId: session.id, afterSeq: 0 });
    const pending = collect(stream, 3);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Stored but never published: as if the NOTIFY was lost.
    await chats.appendEvent({ workspaceId: 'w1', sessionId: session.id, body: { type: 'text-delta', agent: 'planner', text: 'lost' }, at: clock.now() });
    await emit('x');
    await emit('y');
    expect((await pending).map((event) => event.seq)).toEqual([1, 2, 3]);
  });

  it('stops on abort and unsubscribes', async () => {
    const { chats, bus, session } = await setup();
    const controller = new AbortController();
    const stream = streamChatEvents({ chats, bus }, { sessionId: session.id, afterSeq: 0, signal: controller.signal });
    const pending = collect(stream, 10);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(bus.subscriberCount()).toBe(1);
    controller.abort();
    expect(await pending).toEqual([]);
    expect(bus.subscriberCount()).toBe(0);
  });

  it('reads a large event through a notice instead of inline', async () => {
    const { chats, bus, session } = await setup();
    const stream = streamChatEvents({ chats, bus }, { sessionId: session.id, afterSeq: 0 });
    const pending = collect(stream, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const big = 'x'.repeat(10_000);
    await emitChatEvent({ chats, bus, clock }, { workspaceId: 'w1', sessionId: session.id }, { type: 'text-delta', agent: 'planner', text: big });
    const [event] = await pending;
    expect(event?.type === 'text-delta' && event.text.length).toBe(10_000);
  });
});
