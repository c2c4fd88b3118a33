import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { insertApiKey, listApiKeys, revokeApiKey, writeAuditLog, type ApiKeySummary } from '@opspilot/db';
import { generateApiKey } from '../auth/tokens';
import { workspaceProcedure } from '../procedures';
import { router } from '../trpc';
import { auditActorOf } from './members';
import { CursorPageInput, decodePageCursor, pageOutputOf, toPage } from './page-cursor';

const day = 24 * 60 * 60 * 1000;

export const ApiKeyScopeInput = z.enum(['read', 'write', 'admin']);

export const CreateApiKeyInput = z.object({
  name: z.string().trim().min(1).max(80),
  scopes: z.array(ApiKeyScopeInput).min(1).max(3),
  /** Omit for a key that lives until revoked. */
  expiresInDays: z.number().int().min(1).max(365).optional(),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export const RevokeApiKeyInput = z.object({ apiKeyId: z.string().min(1).max(64) });

export const ApiKeyOutput = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(ApiKeyScopeInput),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});

function toApiKeyOutput(key: ApiKeySummary) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
  };
}

/** Workspace API keys: the secret is returned by `create` once; only its SHA-256 and prefix are stored. */
export const apiKeyRouter = router({
  create: workspaceProcedure('admin')
    .meta({ openapi: { method: 'POST', path: '/v1/workspaces/{workspaceId}/api-keys', summary: 'Create an API key (the secret is shown once)', tags: ['api-keys'], protect: true } })
    .input(CreateApiKeyInput)
    .output(z.object({ apiKey: ApiKeyOutput, secret: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const generated = generateApiKey();
      const actor = auditActorOf(ctx.access);
      const key = await insertApiKey(ctx.runtime.db, {
        workspaceId: ctx.access.workspaceId,
        name: input.name,
        prefix: generated.prefix,
        hash: generated.hash,
        scopes: [...new Set(input.scopes)],
        createdById: actor.actorType === 'user' ? actor.actorId : null,
        expiresAt: input.expiresInDays ? new Date(ctx.runtime.clock.now().getTime() + input.expiresInDays * day) : null,
      });
      await writeAuditLog(ctx.runtime.db, { workspaceId: ctx.access.workspaceId, actor, action: 'api-key.create', targetType: 'api-key', targetId: key.id, data: { scopes: key.scopes.join(',') } });
      return { apiKey: toApiKeyOutput(key), secret: generated.secret };
    }),
  list: workspaceProcedure('admin')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/api-keys', summary: 'API keys (never their secrets), newest first (pass nextCursor back as cursor)', tags: ['api-keys'], protect: true } })
    .input(CursorPageInput)
    .output(pageOutputOf(ApiKeyOutput))
    .query(async ({ ctx, input }) => {
      const keys = await listApiKeys(ctx.runtime.db, ctx.access.workspaceId, { limit: input.limit + 1, after: decodePageCursor(input.cursor) });
      return toPage(keys, { limit: input.limit, positionOf: (key) => key, toItem: toApiKeyOutput });
    }),
  revoke: workspaceProcedure('admin')
    .meta({ openapi: { method: 'DELETE', path: '/v1/workspaces/{workspaceId}/api-keys/{apiKeyId}', summary: 'Revoke an API key', tags: ['api-keys'], protect: true } })
    .input(RevokeApiKeyInput)
    .output(ApiKeyOutput)
    .mutation(async ({ ctx, input }) => {
      const key = await revokeApiKey(ctx.runtime.db, { workspaceId: ctx.access.workspaceId, apiKeyId: input.apiKeyId, now: ctx.runtime.clock.now() });
      if (!key) throw new TRPCError({ code: 'NOT_FOUND', message: `API key ${input.apiKeyId} not found.` });
      await writeAuditLog(ctx.runtime.db, { workspaceId: ctx.access.workspaceId, actor: auditActorOf(ctx.access), action: 'api-key.revoke', targetType: 'api-key', targetId: key.id });
      return toApiKeyOutput(key);
    }),
});
