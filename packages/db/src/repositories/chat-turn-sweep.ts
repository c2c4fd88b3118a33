import { randomUUID } from 'node:crypto';
import type { ChatEventBody, StaleTurn, TurnSweepStore } from '@opspilot/core/agents';
import type { Database } from '../client';

/**
 * The chat-turn sweeper's queries. A turn is open while its session's newest
 * event (seq = lastSeq) is not terminal; closing it is one statement that
 * bumps lastSeq only if it is still the value the sweeper read, then inserts
 * the assistant message and the event from that same bump, so either all
 * three happen once or nothing does.
 */
export function createTurnSweepStore(db: Database): TurnSweepStore {
  return {
    async listStaleTurns(input): Promise<StaleTurn[]> {
      const rows = await db.query<{ workspaceId: string; sessionId: string; lastSeq: number; lastEventAtMs: number | string }>(
        `SELECT s."workspaceId", s."id" AS "sessionId", s."lastSeq",
                (EXTRACT(EPOCH FROM e."createdAt") * 1000)::float8 AS "lastEventAtMs"
         FROM "ChatSession" s
         JOIN "ChatEvent" e ON e."sessionId" = s."id" AND e."seq" = s."lastSeq"
         WHERE e."type" NOT IN ('done', 'error') AND e."createdAt" < ($1::timestamptz AT TIME ZONE 'UTC')
         ORDER BY e."createdAt" ASC
         LIMIT $2`,
        [input.idleSince.toISOString(), input.limit],
      );
      return rows.map((row) => ({
        workspaceId: row.workspaceId,
        sessionId: row.sessionId,
        lastSeq: Number(row.lastSeq),
        lastEventAt: new Date(Number(row.lastEventAtMs)),
      }));
    },
    async closeTurn(input) {
      const rows = await db.query<{ seq: number }>(
        `WITH bumped AS (
           UPDATE "ChatSession" SET "lastSeq" = "lastSeq" + 1, "updatedAt" = ($4::timestamptz AT TIME ZONE 'UTC')
           WHERE "id" = $1 AND "workspaceId" = $2 AND "lastSeq" = $7 RETURNING "lastSeq"
         ), message AS (
           INSERT INTO "Message" ("id", "sessionId", "workspaceId", "role", "content", "createdAt")
           SELECT $8, $1, $2, 'assistant'::"MessageRole", $9, ($4::timestamptz AT TIME ZONE 'UTC') FROM bumped
         )
         INSERT INTO "ChatEvent" ("id", "sessionId", "workspaceId", "seq", "type", "payload", "createdAt")
         SELECT $3, $1, $2, "lastSeq", $5, $6::jsonb, ($4::timestamptz AT TIME ZONE 'UTC') FROM bumped
         RETURNING "seq"`,
        [
          input.sessionId, input.workspaceId, randomUUID(), input.at.toISOString(), input.body.type, JSON.stringify(input.body),
          input.expectedLastSeq, randomUUID(), input.assistantContent,
        ],
      );
      const seq = rows[0]?.seq;
      if (seq === undefined) return null;
      return { ...(input.body satisfies ChatEventBody), sessionId: input.sessionId, seq, at: input.at.toISOString() };
    },
  };
}
