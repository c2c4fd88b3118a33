import { abandonedTurnMessage, streamChatEvents, sweepAbandonedTurns, type ChatEvent, type ChatEventBody } from '@opspilot/core/agents';
import { silentLogger } from '@opspilot/core/ports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../client';
import { createEventBus, type ClosableEventBus } from '../event-bus';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, describePostgres, type TestDatabase } from '../testing';
import { createChatRepository } from './chat-repository';
import { createTurnSweepStore } from './chat-turn-sweep';

// The sweep runs a little after the messages are written (they take the real time), and ten minutes after
// the turn's last event: past the 2-minute time budget plus the 1-minute margin.
const sweepAt = new Date(Date.now() + 60_000);
const startedAt = new Date(sweepAt.getTime() - 600_000);

const startedEvents: ChatEventBody[] = [
  { type: 'agent-status', agent: 'planner', status: 'started' },
  { type: 'plan', steps: [{ agent: 'ops-intelligence', goal: 'Answer' }] },
  { type: 'text-delta', agent: 'ops-intelligence', text: 'MRR is' },
];

/** A session whose turn started and then its process "died": the events are in, no done/error ever came. */
async function insertTurn(db: Database, input: { events: ChatEventBody[]; at: Date; title: string }): Promise<string> {
  const chats = createChatRepository(db);
  const session = await chats.createSession({ workspaceId: 'w1', title: input.title, createdById: null });
  await chats.appendMessage({ workspaceId: 'w1', sessionId: session.id, role: 'user', content: 'What is MRR?' });
  for (const body of input.events) await chats.appendEvent({ workspaceId: 'w1', sessionId: session.id, body, at: input.at });
  return session.id;
}

function sweeperOf(db: Database, bus: ClosableEventBus) {
  return { sweeps: createTurnSweepStore(db), chats: createChatRepository(db), bus, clock: { now: () => sweepAt }, logger: silentLogger };
}

async function errorEventsOf(db: Database, sessionId: string) {
  return db.prisma.chatEvent.findMany({ where: { sessionId, type: 'error' }, orderBy: { seq: 'asc' } });
}

describe('chat turn sweeper on PGlite', () => {
  let db: TestDatabase;
  let bus: ClosableEventBus;
  beforeAll(async () => {
    db = await createEmbeddedTestDatabase();
    bus = createEventBus(db);
    await db.prisma.workspace.create({ data: { id: 'w1', name: 'w1', slug: 'w1' } });
  });
  afterAll(async () => {
    await bus?.close();
    await db?.close();
  });

  it('closes a turn whose process died once, with one TURN_ABANDONED error a waiting client receives and an assistant message', async () => {
    const died = await insertTurn(db, { events: startedEvents, at: startedAt, title: 'died' });
    const finished = await insertTurn(db, { events: [...startedEvents, { type: 'done', messageId: 'm1', usage: { steps: 1, tokens: 0, durationMs: 5 } }], at: startedAt, title: 'finished' });
    const running = await insertTurn(db, { events: startedEvents, at: new Date(sweepAt.getTime() - 30_000), title: 'still running' });
    const deps = sweeperOf(db, bus);
    // A client that resumed the dead turn and waits for its end.
    const waiting = (async () => {
      const received: ChatEvent[] = [];
      for await (const event of streamChatEvents(deps, { sessionId: died, afterSeq: 3, untilTerminal: true })) received.push(event);
      return received;
    })();
    await new Promise((resolve) => setTimeout(resolve, 50)); // let it subscribe and back-fill first

    expect(await sweepAbandonedTurns(deps)).toEqual({ closed: [died] });
    expect(await waiting).toEqual([{ type: 'error', code: 'TURN_ABANDONED', message: abandonedTurnMessage, sessionId: died, seq: 4, at: sweepAt.toISOString() }]);
    const messages = await deps.chats.listMessages('w1', died, { limit: 10 });
    expect(messages.map((message) => [message.role, message.content])).toEqual([['user', 'What is MRR?'], ['assistant', `(${abandonedTurnMessage})`]]);
    expect((await deps.chats.findSession('w1', died))?.lastSeq).toBe(4);

    expect(await sweepAbandonedTurns(deps)).toEqual({ closed: [] });
    expect(await errorEventsOf(db, died)).toHaveLength(1);
    expect(await errorEventsOf(db, finished)).toHaveLength(0);
    expect(await errorEventsOf(db, running)).toHaveLength(0);
  });

  it('leaves a turn alone when it wrote an event after the sweeper read it', async () => {
    const sessionId = await insertTurn(db, { events: startedEvents, at: startedAt, title: 'late event' });
    const store = createTurnSweepStore(db);
    const [stale] = (await store.listStaleTurns({ idleSince: sweepAt, limit: 100 })).filter((turn) => turn.sessionId === sessionId);
    expect(stale).toMatchObject({ sessionId, lastSeq: 3, lastEventAt: startedAt });
    await createChatRepository(db).appendEvent({ workspaceId: 'w1', sessionId, body: { type: 'text-delta', agent: 'ops-intelligence', text: ' 42' }, at: sweepAt });
    const closed = await store.closeTurn({
      workspaceId: 'w1', sessionId, expectedLastSeq: 3, at: sweepAt, assistantContent: 'x',
      body: { type: 'error', code: 'TURN_ABANDONED', message: abandonedTurnMessage },
    });
    expect(closed).toBeNull();
    expect(await errorEventsOf(db, sessionId)).toHaveLength(0);
    expect(await db.prisma.message.count({ where: { sessionId, role: 'assistant' } })).toBe(0);
  });
});

// Two "processes": separate pools and LISTEN connections on one database, sweeping at the same moment.
describePostgres('chat turn sweeper on PostgreSQL with two sweepers at once', () => {
  let first: TestDatabase & { url: string };
  let second: Database;
  let firstBus: ClosableEventBus;
  let secondBus: ClosableEventBus;
  beforeAll(async () => {
    first = await createPostgresTestDatabase();
    second = await openDatabase({ mode: 'postgres', url: first.url });
    firstBus = createEventBus(first);
    secondBus = createEventBus(second);
    await first.prisma.workspace.create({ data: { id: 'w1', name: 'w1', slug: 'w1' } });
  }, 60_000);
  afterAll(async () => {
    await secondBus?.close();
    await firstBus?.close();
    await second?.close();
    await first?.close();
  });

  it('closes each dead turn exactly once between them', async () => {
    const sessions: string[] = [];
    for (let index = 0; index < 8; index += 1) sessions.push(await insertTurn(first, { events: startedEvents, at: startedAt, title: `died ${index}` }));
    const results = await Promise.all([
      sweepAbandonedTurns(sweeperOf(first, firstBus)),
      sweepAbandonedTurns(sweeperOf(second, secondBus)),
      sweepAbandonedTurns(sweeperOf(first, firstBus)),
      sweepAbandonedTurns(sweeperOf(second, secondBus)),
    ]);
    expect(results.flatMap((result) => result.closed).sort()).toEqual([...sessions].sort());
    for (const sessionId of sessions) {
      const errors = await errorEventsOf(first, sessionId);
      expect(errors.map((event) => [event.seq, (event.payload as { code: string }).code])).toEqual([[4, 'TURN_ABANDONED']]);
      expect(await first.prisma.message.count({ where: { sessionId, role: 'assistant' } })).toBe(1);
    }
    expect(await sweepAbandonedTurns(sweeperOf(second, secondBus))).toEqual({ closed: [] });
  });
});
