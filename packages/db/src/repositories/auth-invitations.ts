import type { Database } from '../client';
import type { WorkspaceRole } from './auth-workspaces';

export interface InvitationSummary {
  id: string;
  workspaceId: string;
  email: string;
  role: WorkspaceRole;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  expiresAt: Date;
  acceptedAt: Date | null;
  createdAt: Date;
}

const invitationSelect = {
  id: true,
  workspaceId: true,
  email: true,
  role: true,
  status: true,
  expiresAt: true,
  acceptedAt: true,
  createdAt: true,
} as const;

/** Pending invitations past their expiry read as expired without a sweeper. */
function withLiveStatus(row: InvitationSummary, now: Date): InvitationSummary {
  return row.status === 'pending' && row.expiresAt <= now ? { ...row, status: 'expired' } : row;
}

export async function insertInvitation(
  db: Database,
  input: { workspaceId: string; email: string; role: WorkspaceRole; tokenHash: string; invitedById: string | null; expiresAt: Date },
): Promise<InvitationSummary> {
  return db.prisma.invitation.create({ data: { ...input, email: input.email.toLowerCase() }, select: invitationSelect });
}

export async function listInvitations(
  db: Database,
  input: { workspaceId: string; now: Date; limit: number; cursor?: string | undefined },
): Promise<InvitationSummary[]> {
  const rows = await db.prisma.invitation.findMany({
    where: { workspaceId: input.workspaceId },
    select: invitationSelect,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  return rows.map((row) => withLiveStatus(row, input.now));
}

/** Revokes a pending invitation of this workspace; null when there is none. */
export async function revokeInvitation(
  db: Database,
  input: { workspaceId: string; invitationId: string },
): Promise<InvitationSummary | null> {
  const updated = await db.prisma.invitation.updateMany({
    where: { id: input.invitationId, workspaceId: input.workspaceId, status: 'pending' },
    data: { status: 'revoked' },
  });
  if (updated.count === 0) return null;
  return db.prisma.invitation.findUnique({ where: { id: input.invitationId }, select: invitationSelect });
}

export type AcceptInvitationResult =
  | { status: 'accepted'; workspaceId: string; role: WorkspaceRole }
  | { status: 'invalid' };

/**
 * Accepts the pending, unexpired invitation with this token hash for a user
 * whose email matches it. The status flip is a compare-and-swap, so a token
 * works once even when two requests race.
 */
export async function acceptInvitation(
  db: Database,
  input: { tokenHash: string; userId: string; email: string; now: Date },
): Promise<AcceptInvitationResult> {
  return db.prisma.$transaction(async (transaction) => {
    const invitation = await transaction.invitation.findUnique({ where: { tokenHash: input.tokenHash } });
    if (!invitation || invitation.email !== input.email.toLowerCase()) return { status: 'invalid' } as const;
    const claimed = await transaction.invitation.updateMany({
      where: { id: invitation.id, status: 'pending', expiresAt: { gt: input.now } },
      data: { status: 'accepted', acceptedAt: input.now },
    });
    if (claimed.count === 0) return { status: 'invalid' } as const;
    const existing = await transaction.membership.findUnique({
      where: { workspaceId_userId: { workspaceId: invitation.workspaceId, userId: input.userId } },
    });
    if (!existing) {
      await transaction.membership.create({
        data: { workspaceId: invitation.workspaceId, userId: input.userId, role: invitation.role },
      });
    }
    await transaction.auditLog.create({
      data: {
        workspaceId: invitation.workspaceId,
        actorType: 'user',
        actorId: input.userId,
        action: 'invitation.accept',
        targetType: 'invitation',
        targetId: invitation.id,
      },
    });
    return { status: 'accepted', workspaceId: invitation.workspaceId, role: existing?.role ?? invitation.role } as const;
  });
}
