import type { Database } from '../client';
import type { WorkspaceRole } from './auth-workspaces';
import { pageOrder, rowsAfter, type PageRequest } from './keyset-page';

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

/** The status as people see it: pending, accepted, revoked, or expired (stored so, or pending past its expiry). */
export type InvitationLiveStatus = InvitationSummary['status'];

/** Pending invitations past their expiry read as expired without a sweeper. */
function liveStatusOf(row: { status: InvitationLiveStatus; expiresAt: Date }, now: Date): InvitationLiveStatus {
  return row.status === 'pending' && row.expiresAt <= now ? 'expired' : row.status;
}

function withLiveStatus(row: InvitationSummary, now: Date): InvitationSummary {
  return { ...row, status: liveStatusOf(row, now) };
}

export async function insertInvitation(
  db: Database,
  input: { workspaceId: string; email: string; role: WorkspaceRole; tokenHash: string; invitedById: string | null; expiresAt: Date },
): Promise<InvitationSummary> {
  return db.prisma.invitation.create({ data: { ...input, email: input.email.toLowerCase() }, select: invitationSelect });
}

/** Rows whose live status (see withLiveStatus) is `status`. */
function whereLiveStatus(status: InvitationLiveStatus | undefined, now: Date) {
  switch (status) {
    case undefined:
      return {};
    case 'pending':
      return { status: 'pending' as const, expiresAt: { gt: now } };
    case 'expired':
      return { OR: [{ status: 'expired' as const }, { status: 'pending' as const, expiresAt: { lte: now } }] };
    case 'accepted':
    case 'revoked':
      return { status };
  }
}

/** Invitations newest first (createdAt, then id, descending), optionally of one live status, one page at a time. */
export async function listInvitations(
  db: Database,
  input: PageRequest & { workspaceId: string; now: Date; status?: InvitationLiveStatus | undefined },
): Promise<InvitationSummary[]> {
  const rows = await db.prisma.invitation.findMany({
    where: { workspaceId: input.workspaceId, AND: [whereLiveStatus(input.status, input.now), rowsAfter(input.after, 'desc')] },
    select: invitationSelect,
    orderBy: pageOrder('desc'),
    take: input.limit,
  });
  return rows.map((row) => withLiveStatus(row, input.now));
}

/** What the invite page may show before sign-in; `null` details where the invitation must not say more. */
export interface InvitationPreviewRow {
  status: InvitationLiveStatus;
  email: string;
  role: WorkspaceRole;
  expiresAt: Date;
  workspaceName: string;
  inviterName: string | null;
}

/**
 * The invitation with this token hash (looked up the way acceptInvitation
 * does), with its workspace's name and the inviter's name; null for an
 * unknown hash. The inviter is read only when the caller asks for it.
 */
export async function findInvitationPreview(
  db: Database,
  input: { tokenHash: string; now: Date; includeInviter: (status: InvitationLiveStatus) => boolean },
): Promise<InvitationPreviewRow | null> {
  const row = await db.prisma.invitation.findUnique({
    where: { tokenHash: input.tokenHash },
    select: { status: true, email: true, role: true, expiresAt: true, invitedById: true, workspace: { select: { name: true } } },
  });
  if (!row) return null;
  const status = liveStatusOf(row, input.now);
  const inviter = row.invitedById && input.includeInviter(status)
    ? await db.prisma.user.findUnique({ where: { id: row.invitedById }, select: { name: true } })
    : null;
  return { status, email: row.email, role: row.role, expiresAt: row.expiresAt, workspaceName: row.workspace.name, inviterName: inviter?.name ?? null };
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
