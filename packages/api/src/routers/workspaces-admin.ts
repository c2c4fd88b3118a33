import { randomBytes } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { chatTopic, type ChatEvent } from '@opspilot/core/agents';
import { createWorkspaceWithOwner, deleteWorkspace, isWorkspaceSlugTaken } from '@opspilot/db';
import { userProcedure, workspaceProcedure } from '../procedures';
import type { Runtime } from '../runtime';
import { router } from '../trpc';

export const CreateWorkspaceInput = z.object({
  name: z.string().trim().min(1).max(80),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$/, 'lowercase letters, digits and dashes, 3 to 48 characters')
    .optional(),
});
export type CreateWorkspaceInput = z.infer<typeof CreateWorkspaceInput>;

export const CreatedWorkspaceOutput = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  role: z.literal('owner'),
  isDemo: z.boolean(),
});

/**
 * Sends each deleted session's open streams a final `error` event (the next
 * seq, never stored) so clients following the session stop waiting for a turn
 * that can no longer finish; streams opened with `untilDone` end on it.
 */
async function endChatStreams(runtime: Runtime, sessions: ReadonlyArray<{ id: string; lastSeq: number }>): Promise<void> {
  const at = runtime.clock.now().toISOString();
  for (const session of sessions) {
    const event: ChatEvent = { type: 'error', code: 'WORKSPACE_DELETED', message: 'This workspace was deleted.', sessionId: session.id, seq: session.lastSeq + 1, at };
    await runtime.eventBus.publish(chatTopic(session.id), { kind: 'event', event }).catch((error: unknown) => {
      runtime.logger.warn('ending a chat stream of a deleted workspace failed', { sessionId: session.id, error: String(error) });
    });
  }
}

function slugFromName(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return base.length >= 3 ? base : `workspace-${base}`.replace(/-+$/, '');
}

/** Creating a workspace (the caller becomes its owner) and deleting it (owner only). */
export const workspaceAdminRouter = router({
  create: userProcedure
    .meta({ openapi: { method: 'POST', path: '/v1/workspaces', summary: 'Create a workspace; you become its owner', tags: ['workspaces'], protect: true } })
    .input(CreateWorkspaceInput)
    .output(CreatedWorkspaceOutput)
    .mutation(async ({ ctx, input }) => {
      const db = ctx.runtime.db;
      let slug = input.slug ?? slugFromName(input.name);
      if (await isWorkspaceSlugTaken(db, slug)) {
        if (input.slug) throw new TRPCError({ code: 'CONFLICT', message: `The slug "${slug}" is taken.` });
        slug = `${slug}-${randomBytes(3).toString('hex')}`;
      }
      const workspace = await createWorkspaceWithOwner(db, { name: input.name, slug, ownerUserId: ctx.user.userId });
      return { ...workspace, role: 'owner' as const };
    }),
  delete: workspaceProcedure('owner')
    .meta({ openapi: { method: 'DELETE', path: '/v1/workspaces/{workspaceId}', summary: 'Delete a workspace and everything in it', tags: ['workspaces'], protect: true } })
    .output(z.object({ deleted: z.literal(true), workspaceId: z.string(), rowsDeleted: z.number().int() }))
    .mutation(async ({ ctx }) => {
      const { workspaceId, actorId } = ctx.access;
      const purged = await deleteWorkspace(ctx.runtime.db, workspaceId);
      if (!purged) throw new TRPCError({ code: 'NOT_FOUND', message: `Workspace ${workspaceId} not found.` });
      // No audit row can outlive the workspace it describes, so the log line is the record of the deletion.
      ctx.runtime.logger.info('workspace deleted', { workspaceId, actorId, rowsDeleted: purged.totalRows, durationMs: purged.durationMs, deleted: purged.deleted });
      await endChatStreams(ctx.runtime, purged.chatSessions);
      return { deleted: true as const, workspaceId, rowsDeleted: purged.totalRows };
    }),
});
