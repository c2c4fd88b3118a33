import type { Clock, EventBus } from '../ports';
import { chatTopic, type ChatEvent, type ChatEventBody } from './events';
import type { ChatRepository } from './ports';

/** PostgreSQL NOTIFY payloads must stay under 8000 bytes; larger events travel as a notice to re-read. */
const maximumInlinePayloadBytes = 6_000;

/** What travels on the bus: the event itself, or a notice that seq N is stored. */
type BusMessage = { kind: 'event'; event: ChatEvent } | { kind: 'notice'; sessionId: string; seq: number };

export interface EmitterDeps {
  chats: ChatRepository;
  bus: EventBus;
  clock: Clock;
}

/**
 * Stores the event with the session's next seq, then publishes it. Storing
 * first means a subscriber that misses the live message finds it in the
 * database on back-fill, so no event is ever only in flight.
 */
export async function emitChatEvent(
  deps: EmitterDeps,
  target: { workspaceId: string; sessionId: string },
  body: ChatEventBody,
): Promise<ChatEvent> {
  const event = await deps.chats.appendEvent({ ...target, body, at: deps.clock.now() });
  const inline = JSON.stringify(event).length <= maximumInlinePayloadBytes;
  const message: BusMessage = inline ? { kind: 'event', event } : { kind: 'notice', sessionId: event.sessionId, seq: event.seq };
  await deps.bus.publish(chatTopic(target.sessionId), message);
  return event;
}

/** A single-consumer queue of bus messages that a generator can await with an abort signal. */
function createMessageQueue(signal: AbortSignal | undefined) {
  const items: BusMessage[] = [];
  let wake: (() => void) | null = null;
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  return {
    push(message: BusMessage) {
      items.push(message);
      wake?.();
    },
    async next(): Promise<BusMessage | null> {
      while (items.length === 0) {
        if (signal?.aborted) return null;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
      return items.shift() ?? null;
    },
    dispose() {
      signal?.removeEventListener('abort', onAbort);
      wake?.();
    },
  };
}

function readBusMessage(payload: unknown): BusMessage | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const candidate = payload as Partial<BusMessage>;
  if (candidate.kind === 'event' || candidate.kind === 'notice') return candidate as BusMessage;
  return null;
}

export interface StreamChatEventsOptions {
  sessionId: string;
  /** The last seq the client saw (its `lastEventId`); events after it are sent. */
  afterSeq: number;
  signal?: AbortSignal;
  /** Stop after the first terminal event (`done`/`error`) with seq > afterSeq. */
  untilTerminal?: boolean;
  /** Page size of database back-fills. */
  pageSize?: number;
}

/**
 * Every event of a session after `afterSeq`, exactly once and in seq order:
 * subscribes to the bus first, then back-fills from the database, then
 * follows live messages; any gap (a notice, a reordered or missed message) is
 * filled from the database. Unsubscribes when the consumer stops or aborts.
 */
export async function* streamChatEvents(
  deps: Pick<EmitterDeps, 'chats' | 'bus'>,
  options: StreamChatEventsOptions,
): AsyncGenerator<ChatEvent, void, undefined> {
  const queue = createMessageQueue(options.signal);
  const unsubscribe = await deps.bus.subscribe(chatTopic(options.sessionId), (payload) => {
    const message = readBusMessage(payload);
    if (message) queue.push(message);
  });
  const pageSize = options.pageSize ?? 500;
  let lastSeq = options.afterSeq;
  try {
    const backfill = async function* (): AsyncGenerator<ChatEvent> {
      for (;;) {
        const page = await deps.chats.listEventsAfter(options.sessionId, lastSeq, pageSize);
        for (const event of page) {
          lastSeq = event.seq;
          yield event;
        }
        if (page.length < pageSize) return;
      }
    };
    for await (const event of backfill()) {
      yield event;
      if (options.untilTerminal && (event.type === 'done' || event.type === 'error')) return;
    }
    while (!options.signal?.aborted) {
      const message = await queue.next();
      if (!message) return;
      const seq = message.kind === 'event' ? message.event.seq : message.seq;
      if (seq <= lastSeq) continue;
      const events = message.kind === 'event' && seq === lastSeq + 1 ? [message.event] : null;
      const source = events ? toAsync(events, (event) => (lastSeq = event.seq)) : backfill();
      for await (const event of source) {
        yield event;
        if (options.untilTerminal && (event.type === 'done' || event.type === 'error')) return;
      }
    }
  } finally {
    queue.dispose();
    await unsubscribe();
  }
}

async function* toAsync(events: ChatEvent[], onEach: (event: ChatEvent) => void): AsyncGenerator<ChatEvent> {
  for (const event of events) {
    onEach(event);
    yield event;
  }
}

/** Parses a client's lastEventId (the seq as a string); anything else means "from the start". */
export function parseLastEventId(lastEventId: string | null | undefined): number {
  if (!lastEventId) return 0;
  const seq = Number(lastEventId);
  return Number.isInteger(seq) && seq >= 0 ? seq : 0;
}
