import { randomUUID } from 'node:crypto';
import type { ActionEffect, ActionEffectPort } from '@opspilot/core/workflows';
import type { Database } from '../client';
import type { SqlSession } from '../sql-session';

/** Rolls back the newest deploy of the service that is not rolled back yet; the result names it. */
async function rollBackLatestDeploy(session: SqlSession, effect: ActionEffect): Promise<Record<string, unknown>> {
  const service = typeof effect.payload.service === 'string' ? effect.payload.service : 'default';
  const [deploy] = await session.query<{ id: string; service: string; version: string }>(
    `UPDATE "Deploy" SET "rolledBack" = true WHERE "id" = (
       SELECT "id" FROM "Deploy" WHERE "workspaceId" = $1 AND "rolledBack" = false AND ($2 = 'default' OR "service" = $2)
        ORDER BY "deployedAt" DESC LIMIT 1) RETURNING "id", "service", "version"`,
    [effect.workspaceId, service],
  );
  return deploy ? { service: deploy.service, deployId: deploy.id, rolledBackVersion: deploy.version } : { service, deployId: null, rolledBackVersion: null };
}

/**
 * Side effects of the internal actions, recorded in SandboxOutbox and
 * deduplicated by its unique (workspaceId, idempotencyKey): a retried or
 * reclaimed step finds the first row and gets the first result back.
 * `deploy-rollback` also marks the newest deploy of the service rolled back,
 * in the same transaction.
 */
export function createActionEffectStore(db: Database): ActionEffectPort {
  return {
    perform: (effect) =>
      db.transaction(async (session) => {
        const result = effect.kind === 'deploy-rollback' ? { ...effect.payload, ...(await rollBackLatestDeploy(session, effect)) } : { ...effect.payload };
        const inserted = await session.query<{ id: string }>(
          `INSERT INTO "SandboxOutbox" ("id", "workspaceId", "connector", "action", "payload", "idempotencyKey", "createdAt")
           VALUES ($1, $2, 'opspilot', $3, $4::jsonb, $5, now()) ON CONFLICT ("workspaceId", "idempotencyKey") DO NOTHING RETURNING "id"`,
          [randomUUID(), effect.workspaceId, effect.kind, JSON.stringify({ ...result, id: undefined }), effect.idempotencyKey],
        );
        if (inserted[0]) return { result: { id: inserted[0].id, ...result }, repeated: false };
        // Already performed: undo this attempt's writes (the rollback above) and answer with the first result.
        throw new RepeatedEffect(effect);
      }).catch(async (error: unknown) => {
        if (!(error instanceof RepeatedEffect)) throw error;
        const [row] = await db.query<{ id: string; payload: Record<string, unknown> }>(
          'SELECT "id", "payload" FROM "SandboxOutbox" WHERE "workspaceId" = $1 AND "idempotencyKey" = $2',
          [effect.workspaceId, effect.idempotencyKey],
        );
        return { result: { id: row?.id ?? null, ...(row?.payload ?? {}) }, repeated: true };
      }),
    async readMetric(request) {
      const [row] = await db.query<{ value: number }>(
        `SELECT "value" FROM "MetricPoint" WHERE "workspaceId" = $1 AND "metric" = $2 AND "segment" = '' ORDER BY "ts" DESC LIMIT 1`,
        [request.workspaceId, request.metric],
      );
      return row ? Number(row.value) : undefined;
    },
  };
}

/** Aborts the effect's transaction when its key was already used. */
class RepeatedEffect extends Error {
  constructor(effect: ActionEffect) {
    super(`Effect ${effect.idempotencyKey} already performed`);
  }
}
