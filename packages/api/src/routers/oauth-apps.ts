import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { writeAuditLog } from '@opspilot/db';
import { listConnectedApps, revokeConnectedApp, type ConnectedApp, type GrantViewer } from '../auth/oauth';
import type { MemberRole } from '../context';
import { workspaceProcedure, type WorkspaceAccess } from '../procedures';
import { router } from '../trpc';
import { CursorPageInput, decodePageCursor, pageOutputOf, toPage } from './page-cursor';

/**
 * Connected apps are decisions a person made on the consent page, so only a
 * signed-in person lists or revokes them: an API key or an OAuth token (which
 * acts as a key) gets 403, so a connected app can neither see the others nor
 * end them.
 */
function personWorkspaceProcedure(minimumRole: MemberRole) {
  return workspaceProcedure(minimumRole).use(({ ctx, next }) => {
    const principal = ctx.access.principal;
    if (principal.kind !== 'user') {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Connected apps are managed by a signed-in person; API keys and OAuth tokens cannot list or revoke them.' });
    }
    return next({ ctx: { ...ctx, user: principal } });
  });
}

/** Owners and admins oversee every grant of their workspace; members and viewers their own. */
function viewerOf(access: WorkspaceAccess, userId: string): GrantViewer {
  return { workspaceId: access.workspaceId, userId, seesEveryGrant: access.role === 'owner' || access.role === 'admin' };
}

export const OAuthAppOutput = z.object({
  grantId: z.string(),
  clientId: z.string(),
  clientName: z.string(),
  grantedBy: z.object({ userId: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

export const RevokeOAuthAppInput = z.object({ grantId: z.string().min(1).max(64) });

function toOAuthAppOutput(app: ConnectedApp): z.infer<typeof OAuthAppOutput> {
  return {
    grantId: app.grantId,
    clientId: app.clientId,
    clientName: app.clientName,
    grantedBy: { userId: app.userId, name: app.userName, email: app.userEmail },
    scopes: app.scopes,
    createdAt: app.createdAt.toISOString(),
    lastUsedAt: app.lastUsedAt?.toISOString() ?? null,
  };
}

const tags = ['oauth-apps'];

/** Applications (MCP hosts such as ChatGPT) people connected through OAuth, and revoking them. */
export const oauthAppsRouter = router({
  list: personWorkspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/oauth-apps', summary: 'Connected OAuth applications (every grant for owners and admins, your own otherwise), newest first (pass nextCursor back as cursor)', tags, protect: true } })
    .input(CursorPageInput)
    .output(pageOutputOf(OAuthAppOutput))
    .query(async ({ ctx, input }) => {
      const viewer = viewerOf(ctx.access, ctx.user.userId);
      const apps = await listConnectedApps(ctx.runtime.db, { viewer, now: ctx.runtime.clock.now(), limit: input.limit + 1, after: decodePageCursor(input.cursor) });
      return toPage(apps, { limit: input.limit, positionOf: (app) => ({ createdAt: app.createdAt, id: app.grantId }), toItem: toOAuthAppOutput });
    }),
  revoke: personWorkspaceProcedure('viewer')
    .meta({ openapi: { method: 'DELETE', path: '/v1/workspaces/{workspaceId}/oauth-apps/{grantId}', summary: 'Revoke a connected application: its grant and every token at once', tags, protect: true } })
    .input(RevokeOAuthAppInput)
    .output(OAuthAppOutput)
    .mutation(async ({ ctx, input }) => {
      const app = await revokeConnectedApp(ctx.runtime.db, { viewer: viewerOf(ctx.access, ctx.user.userId), grantId: input.grantId, now: ctx.runtime.clock.now() });
      if (!app) throw new TRPCError({ code: 'NOT_FOUND', message: `Connected app ${input.grantId} not found.` });
      await writeAuditLog(ctx.runtime.db, {
        workspaceId: ctx.access.workspaceId, actor: { actorType: 'user', actorId: ctx.user.userId }, action: 'oauth-app.revoke', targetType: 'oauth-grant', targetId: app.grantId,
        data: { clientName: app.clientName, grantedBy: app.userId },
      });
      return toOAuthAppOutput(app);
    }),
});
