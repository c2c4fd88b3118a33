import { tracked } from '@trpc/server';
import { z } from 'zod';
import {
  createChatSession,
  listChatMessages,
  parseLastEventId,
  requireChatSession,
  sendChatMessage,
  streamChatEvents,
  type ChatEvent,
} from '@opspilot/core/agents';
import { isAppError } from '@opspilot/core/errors';
import { PageInput, workspaceProcedure } from '../procedures';
import { toTrpcError } from '../errors';
import { router } from '../trpc';
import { agentDepsFor } from './agents';

const SessionOutput = z.object({
  id: z.string(),
  title: z.string(),
  createdById: z.string().nullable(),
  lastSeq: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const MessageOutput = z.object({
  id: z.string(),
  sessionId: z.string(),
  role: z.enum(['user', 'assistant', 'system', 'tool']),
  content: z.string(),
  agentId: z.string().nullable(),
  createdAt: z.string(),
});

const SessionId = z.string().min(1).max(64);

function toSessionOutput(session: { id: string; title: string; createdById: string | null; lastSeq: number; createdAt: Date; updatedAt: Date }) {
  return { id: session.id, title: session.title, createdById: session.createdById, lastSeq: session.lastSeq, createdAt: session.createdAt.toISOString(), updatedAt: session.updatedAt.toISOString() };
}

const rethrow = (error: unknown): never => {
  throw isAppError(error) ? toTrpcError(error) : error;
};

export const chatRouter = router({
  listSessions: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/chat/sessions', summary: 'Chat sessions, most recent first', protect: true } })
    .input(PageInput)
    .output(z.array(SessionOutput))
    .query(async ({ ctx, input }) => {
      const sessions = await agentDepsFor(ctx.runtime).chats.listSessions(ctx.access.workspaceId, { limit: input.limit, ...(input.cursor ? { cursor: input.cursor } : {}) });
      return sessions.map(toSessionOutput);
    }),
  createSession: workspaceProcedure('member')
    .meta({ openapi: { method: 'POST', path: '/v1/workspaces/{workspaceId}/chat/sessions', summary: 'Start a chat session', protect: true } })
    .input(z.object({ title: z.string().trim().min(1).max(200).optional() }))
    .output(SessionOutput)
    .mutation(async ({ ctx, input }) => {
      const session = await createChatSession(agentDepsFor(ctx.runtime), { workspaceId: ctx.access.workspaceId, createdById: ctx.access.actorId, ...(input.title ? { title: input.title } : {}) });
      return toSessionOutput(session);
    }),
  messages: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/chat/sessions/{sessionId}/messages', summary: 'Messages of a session, oldest first', protect: true } })
    .input(z.object({ sessionId: SessionId, limit: z.coerce.number().int().min(1).max(500).default(100) }))
    .output(z.array(MessageOutput))
    .query(async ({ ctx, input }) => {
      const messages = await listChatMessages(agentDepsFor(ctx.runtime), { workspaceId: ctx.access.workspaceId, sessionId: input.sessionId, limit: input.limit });
      return messages.map((message) => ({ ...message, createdAt: message.createdAt.toISOString() }));
    }),
  send: workspaceProcedure('member')
    .meta({ openapi: { method: 'POST', path: '/v1/workspaces/{workspaceId}/chat/sessions/{sessionId}/messages', summary: 'Send a message; the answer streams as events', protect: true } })
    .input(z.object({ sessionId: SessionId, message: z.string().trim().min(1).max(8_000) }))
    .output(z.object({ messageId: z.string(), afterSeq: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const started = await sendChatMessage(agentDepsFor(ctx.runtime), { workspaceId: ctx.access.workspaceId, sessionId: input.sessionId, message: input.message, actorId: ctx.access.actorId });
      return { messageId: started.messageId, afterSeq: started.afterSeq };
    }),
  /**
   * Every event of the session after `lastEventId` (a seq), exactly once:
   * subscribes first, back-fills from the database, then follows live events.
   * With `untilDone` it ends after the next `done` or `error`.
   */
  onEvents: workspaceProcedure('viewer')
    .input(z.object({ sessionId: SessionId, lastEventId: z.string().max(32).nullish(), untilDone: z.boolean().optional() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const deps = agentDepsFor(ctx.runtime);
      await requireChatSession(deps, ctx.access.workspaceId, input.sessionId).catch(rethrow);
      const events = streamChatEvents(deps, {
        sessionId: input.sessionId,
        afterSeq: parseLastEventId(input.lastEventId),
        ...(signal ? { signal } : {}),
        ...(input.untilDone ? { untilTerminal: true } : {}),
      });
      for await (const event of events) yield tracked(String(event.seq), event satisfies ChatEvent);
    }),
});
