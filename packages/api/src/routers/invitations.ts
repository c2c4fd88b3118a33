import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  acceptInvitation,
  insertInvitation,
  listInvitations,
  revokeInvitation,
  writeAuditLog,
  type InvitationSummary,
} from '@opspilot/db';
import { generateInvitationToken, hashSecret, looksLikeInvitationToken } from '../auth/tokens';
import { userProcedure, workspaceProcedure } from '../procedures';
import { router } from '../trpc';
import { previewInvitationProcedure } from './invitation-preview';
import { auditActorOf, MemberRoleInput } from './members';
import { CursorPageInput, decodePageCursor, pageOutputOf, toPage } from './page-cursor';

const day = 24 * 60 * 60 * 1000;

export const CreateInvitationInput = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  role: MemberRoleInput,
  expiresInDays: z.number().int().min(1).max(30).default(7),
});
export type CreateInvitationInput = z.infer<typeof CreateInvitationInput>;

export const InvitationStatusOutput = z.enum(['pending', 'accepted', 'revoked', 'expired']);

export const ListInvitationsInput = CursorPageInput.extend({
  /** Only invitations in this state (an unexpired pending one is `pending`, a pending one past its expiry `expired`). */
  status: InvitationStatusOutput.optional(),
});
export type ListInvitationsInput = z.infer<typeof ListInvitationsInput>;

export const RevokeInvitationInput = z.object({ invitationId: z.string().min(1).max(64) });
export const AcceptInvitationInput = z.object({ token: z.string().min(1).max(128) });

export const InvitationOutput = z.object({
  id: z.string(),
  email: z.string(),
  role: MemberRoleInput,
  status: InvitationStatusOutput,
  expiresAt: z.string(),
  acceptedAt: z.string().nullable(),
  createdAt: z.string(),
});

function toInvitationOutput(invitation: InvitationSummary) {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    status: invitation.status,
    expiresAt: invitation.expiresAt.toISOString(),
    acceptedAt: invitation.acceptedAt?.toISOString() ?? null,
    createdAt: invitation.createdAt.toISOString(),
  };
}

/** Invitations: the owner invites by email; the token is shown once and only its hash is kept. */
export const invitationRouter = router({
  create: workspaceProcedure('owner')
    .meta({ openapi: { method: 'POST', path: '/v1/workspaces/{workspaceId}/invitations', summary: 'Invite someone (the token is shown once)', tags: ['members'], protect: true } })
    .input(CreateInvitationInput)
    .output(z.object({ invitation: InvitationOutput, token: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const token = generateInvitationToken();
      const actor = auditActorOf(ctx.access);
      const invitation = await insertInvitation(ctx.runtime.db, {
        workspaceId: ctx.access.workspaceId,
        email: input.email,
        role: input.role,
        tokenHash: token.hash,
        invitedById: actor.actorType === 'user' ? actor.actorId : null,
        expiresAt: new Date(ctx.runtime.clock.now().getTime() + input.expiresInDays * day),
      });
      await writeAuditLog(ctx.runtime.db, { workspaceId: ctx.access.workspaceId, actor, action: 'invitation.create', targetType: 'invitation', targetId: invitation.id, data: { role: input.role } });
      return { invitation: toInvitationOutput(invitation), token: token.secret };
    }),
  list: workspaceProcedure('owner')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/invitations', summary: 'Invitations and their status, newest first (pass nextCursor back as cursor)', tags: ['members'], protect: true } })
    .input(ListInvitationsInput)
    .output(pageOutputOf(InvitationOutput))
    .query(async ({ ctx, input }) => {
      const rows = await listInvitations(ctx.runtime.db, {
        workspaceId: ctx.access.workspaceId, now: ctx.runtime.clock.now(), status: input.status, limit: input.limit + 1, after: decodePageCursor(input.cursor),
      });
      return toPage(rows, { limit: input.limit, positionOf: (invitation) => invitation, toItem: toInvitationOutput });
    }),
  revoke: workspaceProcedure('owner')
    .meta({ openapi: { method: 'DELETE', path: '/v1/workspaces/{workspaceId}/invitations/{invitationId}', summary: 'Revoke a pending invitation', tags: ['members'], protect: true } })
    .input(RevokeInvitationInput)
    .output(InvitationOutput)
    .mutation(async ({ ctx, input }) => {
      const invitation = await revokeInvitation(ctx.runtime.db, { workspaceId: ctx.access.workspaceId, invitationId: input.invitationId });
      if (!invitation) throw new TRPCError({ code: 'NOT_FOUND', message: `Pending invitation ${input.invitationId} not found.` });
      await writeAuditLog(ctx.runtime.db, { workspaceId: ctx.access.workspaceId, actor: auditActorOf(ctx.access), action: 'invitation.revoke', targetType: 'invitation', targetId: invitation.id });
      return toInvitationOutput(invitation);
    }),
  preview: previewInvitationProcedure,
  /** Not workspace-scoped: the token names the workspace, and it must be addressed to the caller's email. */
  accept: userProcedure
    .meta({ openapi: { method: 'POST', path: '/v1/invitations/accept', summary: 'Accept an invitation addressed to you', tags: ['members'], protect: true } })
    .input(AcceptInvitationInput)
    .output(z.object({ workspaceId: z.string(), role: MemberRoleInput }))
    .mutation(async ({ ctx, input }) => {
      const invalid = new TRPCError({ code: 'NOT_FOUND', message: 'Invitation not found, expired or already used.' });
      if (!looksLikeInvitationToken(input.token)) throw invalid;
      const result = await acceptInvitation(ctx.runtime.db, {
        tokenHash: hashSecret(input.token),
        userId: ctx.user.userId,
        email: ctx.user.email,
        now: ctx.runtime.clock.now(),
      });
      if (result.status === 'invalid') throw invalid;
      return { workspaceId: result.workspaceId, role: result.role };
    }),
});
