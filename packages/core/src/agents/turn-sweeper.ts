import type { Clock, EventBus, Logger } from '../ports';
import { emitChatEvent } from './chat-stream';
import type { ChatEvent, ChatEventBody } from './events';
import type { ChatRepository, TurnBudgets } from './ports';
import { defaultTurnBudgets } from './turn-budget';

/** A session whose latest event is not terminal and older than the sweep's cut-off. */
export interface StaleTurn {
  workspaceId: string;
  sessionId: string;
  /** The session's lastSeq when it was read: the sweep only closes the turn if it is still that. */
  lastSeq: number;
  lastEventAt: Date;
}

/** The sweeper's view of the chat store (implemented over the database by the db package). */
export interface TurnSweepStore {
  /** Sessions whose newest event is neither `done` nor `error` and was written before `idleSince`, oldest first. */
  listStaleTurns(input: { idleSince: Date; limit: number }): Promise<StaleTurn[]>;
  /**
   * Atomically, only while the session's lastSeq is still `expectedLastSeq`:
   * stores the assistant message and the event with the next seq. Returns
   * null when anything was written since (the turn is alive, or another
   * sweeper closed it first), so at most one sweeper ever closes a turn.
   */
  closeTurn(input: {
    workspaceId: string;
    sessionId: string;
    expectedLastSeq: number;
    body: ChatEventBody;
    at: Date;
    assistantContent: string;
  }): Promise<ChatEvent | null>;
}

export interface TurnSweeperDeps {
  sweeps: TurnSweepStore;
  chats: ChatRepository;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  /** The turn budgets the orchestrator runs with; only `maxDurationMs` matters here. */
  budgets?: Partial<TurnBudgets>;
}

export interface SweepOptions {
  /** Added to the time budget before a silent turn counts as abandoned (default one minute). */
  marginMs?: number;
  /** Sessions closed per sweep at most (default 100). */
  limit?: number;
}

/** The message a client shows for a turn whose process stopped (a restart, a crash, a deploy). */
export const abandonedTurnMessage = 'The server stopped in the middle of this answer, so it was not finished. Please ask again.';

class TurnAlreadyClosed extends Error {}

/**
 * Closes chat turns whose process died mid-answer: a turn that has written
 * nothing for longer than its time budget plus a margin, and has no `done` or
 * `error`, can no longer be running (the orchestrator stops every turn at
 * its time budget). Each gets one `error` (TURN_ABANDONED) and an assistant
 * message, stored and published through the same emit path as live events,
 * so waiting clients and later back-fills see it alike. Safe to run in
 * several processes at once: the store closes a turn only if its seq has not
 * moved, so a second sweeper finds nothing to do.
 */
export async function sweepAbandonedTurns(deps: TurnSweeperDeps, options: SweepOptions = {}): Promise<{ closed: string[] }> {
  const maxDurationMs = deps.budgets?.maxDurationMs ?? defaultTurnBudgets.maxDurationMs;
  const idleSince = new Date(deps.clock.now().getTime() - maxDurationMs - (options.marginMs ?? 60_000));
  const stale = await deps.sweeps.listStaleTurns({ idleSince, limit: options.limit ?? 100 });
  const closed: string[] = [];
  for (const turn of stale) {
    try {
      if (await closeAbandonedTurn(deps, turn)) closed.push(turn.sessionId);
    } catch (error) {
      deps.logger.error('Could not close an abandoned chat turn', { sessionId: turn.sessionId, error: String(error) });
    }
  }
  if (closed.length > 0) deps.logger.warn('Closed chat turns whose process stopped mid-answer', { sessions: closed.length });
  return { closed };
}

async function closeAbandonedTurn(deps: TurnSweeperDeps, turn: StaleTurn): Promise<boolean> {
  const body: ChatEventBody = { type: 'error', code: 'TURN_ABANDONED', message: abandonedTurnMessage };
  // emitChatEvent stores, then publishes; this store only stores if the turn is still as it was read.
  const chats: ChatRepository = {
    ...deps.chats,
    appendEvent: async (input) => {
      const event = await deps.sweeps.closeTurn({ ...input, expectedLastSeq: turn.lastSeq, assistantContent: `(${abandonedTurnMessage})` });
      if (!event) throw new TurnAlreadyClosed();
      return event;
    },
  };
  try {
    await emitChatEvent({ chats, bus: deps.bus, clock: deps.clock }, { workspaceId: turn.workspaceId, sessionId: turn.sessionId }, body);
    return true;
  } catch (error) {
    if (error instanceof TurnAlreadyClosed) return false;
    throw error;
  }
}
