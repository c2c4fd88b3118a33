import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { changeMember, listMembers, type MemberSummary } from '@opspilot/db';
import { workspaceProcedure } from '../procedures';
import { CursorPageInput, decodePageCursor, pageOutputOf, toPage } from './page-cursor';
import { router } from '../trpc';
import type { WorkspaceAccess } from '../procedures';

export const MemberRoleInput = z.enum(['owner', 'admin', 'member', 'viewer']);

export const MemberOutput = z.object({
  id: z.string(),
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: MemberRoleInput,
  createdAt: z.string(),
});

export const ChangeMemberRoleInput = z.object({ memberId: z.string().min(1).max(64), role: MemberRoleInput });
export const RemoveMemberInput = z.object({ memberId: z.string().min(1).max(64) });

function toMemberOutput(member: MemberSummary) {
  return { ...member, createdAt: member.createdAt.toISOString() };
}

export function auditActorOf(access: WorkspaceAccess) {
  return access.principal.kind === 'apiKey'
    ? { actorType: 'apiKey' as const, actorId: access.principal.apiKeyId }
    : { actorType: 'user' as const, actorId: access.principal.userId };
}

async function applyMemberChange(access: WorkspaceAccess, db: Parameters<typeof changeMember>[0], memberId: string, role: z.infer<typeof MemberRoleInput> | null) {
  const result = await changeMember(db, { workspaceId: access.workspaceId, memberId, role, actor: auditActorOf(access) });
  switch (result.status) {
    case 'ok':
      return result.member;
    case 'not-found':
      throw new TRPCError({ code: 'NOT_FOUND', message: `Member ${memberId} not found.` });
    case 'last-owner':
      throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'A workspace needs at least one owner; make someone else owner first.' });
  }
}

/** Members and their roles; changing them is the owner's job. */
export const memberRouter = router({
  list: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/members', summary: 'Members and roles, in the order they joined (pass nextCursor back as cursor)', tags: ['members'], protect: true } })
    .input(CursorPageInput)
    .output(pageOutputOf(MemberOutput))
    .query(async ({ ctx, input }) => {
      const rows = await listMembers(ctx.runtime.db, ctx.access.workspaceId, { limit: input.limit + 1, after: decodePageCursor(input.cursor) });
      return toPage(rows, { limit: input.limit, positionOf: (member) => member, toItem: toMemberOutput });
    }),
  changeRole: workspaceProcedure('owner')
    .meta({ openapi: { method: 'PATCH', path: '/v1/workspaces/{workspaceId}/members/{memberId}', summary: "Change a member's role", tags: ['members'], protect: true } })
    .input(ChangeMemberRoleInput)
    .output(MemberOutput)
    .mutation(async ({ ctx, input }) => {
      const member = await applyMemberChange(ctx.access, ctx.runtime.db, input.memberId, input.role);
      if (!member) throw new TRPCError({ code: 'NOT_FOUND', message: `Member ${input.memberId} not found.` });
      return toMemberOutput(member);
    }),
  remove: workspaceProcedure('owner')
    .meta({ openapi: { method: 'DELETE', path: '/v1/workspaces/{workspaceId}/members/{memberId}', summary: 'Remove a member', tags: ['members'], protect: true } })
    .input(RemoveMemberInput)
    .output(z.object({ removed: z.literal(true), memberId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await applyMemberChange(ctx.access, ctx.runtime.db, input.memberId, null);
      return { removed: true as const, memberId: input.memberId };
    }),
});
