import { randomUUID } from 'node:crypto';
import type { ChatEvent, ChatEventBody, ChatMessageRecord, ChatRepository, ChatSessionRecord } from '@opspilot/core/agents';
import type { Database } from '../client';

const sessionSelect = { id: true, workspaceId: true, title: true, createdById: true, lastSeq: true, createdAt: true, updatedAt: true } as const;
const messageSelect = { id: true, sessionId: true, workspaceId: true, role: true, content: true, agentId: true, createdAt: true } as const;

function toChatEvent(row: { sessionId: string; seq: number; type: string; payload: unknown; createdAt: Date }): ChatEvent {
  return { ...(row.payload as ChatEventBody), sessionId: row.sessionId, seq: row.seq, at: row.createdAt.toISOString() };
}

/**
 * Chat sessions, messages and the per-session event log. An event's seq
 * comes from bumping `ChatSession.lastSeq` in the same statement that
 * inserts it, so concurrent writers (any process) get distinct, gapless seqs.
 */
export function createChatRepository(db: Database): ChatRepository {
  return {
    async createSession(input) {
      return db.prisma.chatSession.create({ data: input, select: sessionSelect });
    },
    async listSessions(workspaceId, page): Promise<ChatSessionRecord[]> {
      return db.prisma.chatSession.findMany({
        where: { workspaceId },
        orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
        take: page.limit,
        ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
        select: sessionSelect,
      });
    },
    async findSession(workspaceId, sessionId) {
      return db.prisma.chatSession.findFirst({ where: { id: sessionId, workspaceId }, select: sessionSelect });
    },
    async listMessages(workspaceId, sessionId, page): Promise<ChatMessageRecord[]> {
      const rows = await db.prisma.message.findMany({
        where: { workspaceId, sessionId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: page.limit,
        select: messageSelect,
      });
      return rows.reverse();
    },
    async appendMessage(input) {
      return db.prisma.message.create({
        data: { workspaceId: input.workspaceId, sessionId: input.sessionId, role: input.role, content: input.content, agentId: input.agentId ?? null },
        select: messageSelect,
      });
    },
    async appendEvent(input) {
      const rows = await db.query<{ seq: number }>(
        `WITH bumped AS (
           UPDATE "ChatSession" SET "lastSeq" = "lastSeq" + 1, "updatedAt" = ($4::timestamptz AT TIME ZONE 'UTC')
           WHERE "id" = $1 AND "workspaceId" = $2 RETURNING "lastSeq"
         )
         INSERT INTO "ChatEvent" ("id", "sessionId", "workspaceId", "seq", "type", "payload", "createdAt")
         SELECT $3, $1, $2, "lastSeq", $5, $6::jsonb, ($4::timestamptz AT TIME ZONE 'UTC') FROM bumped
         RETURNING "seq"`,
        [input.sessionId, input.workspaceId, randomUUID(), input.at.toISOString(), input.body.type, JSON.stringify(input.body)],
      );
      const seq = rows[0]?.seq;
      if (seq === undefined) throw new Error(`Chat session ${input.sessionId} not found in workspace ${input.workspaceId}`);
      return { ...input.body, sessionId: input.sessionId, seq, at: input.at.toISOString() };
    },
    async listEventsAfter(sessionId, afterSeq, limit) {
      const rows = await db.prisma.chatEvent.findMany({
        where: { sessionId, seq: { gt: afterSeq } },
        orderBy: { seq: 'asc' },
        take: limit,
        select: { sessionId: true, seq: true, type: true, payload: true, createdAt: true },
      });
      return rows.map(toChatEvent);
    },
  };
}
