import type { EventBus } from '../ports';
import type { ChatEvent } from '../agents/events';
import type { ChatMessageRecord, ChatRepository, ChatSessionRecord } from '../agents/ports';

/** An in-process EventBus for core tests (the db package has the real ones). */
export function createInMemoryEventBus(): EventBus & { subscriberCount(): number } {
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  return {
    publish(topic, payload) {
      for (const handler of handlers.get(topic) ?? []) handler(structuredClone(payload));
      return Promise.resolve();
    },
    subscribe(topic, handler) {
      const set = handlers.get(topic) ?? new Set();
      set.add(handler);
      handlers.set(topic, set);
      return Promise.resolve(() => {
        set.delete(handler);
        return Promise.resolve();
      });
    },
    subscriberCount: () => [...handlers.values()].reduce((total, set) => total + set.size, 0),
  };
}

/** ChatRepository over arrays, for core tests that do not need a database. */
export function createInMemoryChatRepository(): ChatRepository {
  const sessions: ChatSessionRecord[] = [];
  const messages: ChatMessageRecord[] = [];
  const events: ChatEvent[] = [];
  let counter = 0;
  const find = (workspaceId: string, sessionId: string) => sessions.find((session) => session.id === sessionId && session.workspaceId === workspaceId) ?? null;
  return {
    createSession: (input) => {
      const at = new Date();
      const session = { id: `session_${++counter}`, ...input, lastSeq: 0, createdAt: at, updatedAt: at };
      sessions.push(session);
      return Promise.resolve({ ...session });
    },
    listSessions: (workspaceId, page) => Promise.resolve(sessions.filter((session) => session.workspaceId === workspaceId).slice(0, page.limit)),
    findSession: (workspaceId, sessionId) => Promise.resolve(find(workspaceId, sessionId) ? { ...find(workspaceId, sessionId)! } : null),
    listMessages: (workspaceId, sessionId, page) => Promise.resolve(messages.filter((message) => message.sessionId === sessionId && message.workspaceId === workspaceId).slice(-page.limit)),
    appendMessage: (input) => {
      const message = { id: `message_${++counter}`, agentId: null, ...input, createdAt: new Date() };
      messages.push(message);
      return Promise.resolve(message);
    },
    appendEvent: (input) => {
      const session = find(input.workspaceId, input.sessionId);
      if (!session) return Promise.reject(new Error(`No session ${input.sessionId}`));
      session.lastSeq += 1;
      const event = { ...input.body, sessionId: session.id, seq: session.lastSeq, at: input.at.toISOString() };
      events.push(event);
      return Promise.resolve(event);
    },
    listEventsAfter: (sessionId, afterSeq, limit) => Promise.resolve(events.filter((event) => event.sessionId === sessionId && event.seq > afterSeq).slice(0, limit)),
  };
}
