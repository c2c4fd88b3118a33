import type { Database } from '../client';
import { purgeWorkspace, type WorkspacePurgeResult } from './workspace-purge';
import { pageOrder, rowsAfter, type PageRequest } from './keyset-page';

export type WorkspaceRole = 'owner' | 'admin' | 'member' | 'viewer';

export interface MemberSummary {
  id: string;
  userId: string;
  email: string;
  name: string;
  role: WorkspaceRole;
  createdAt: Date;
}

export interface AuditActor {
  actorType: 'user' | 'apiKey' | 'system';
  actorId: string | null;
}

const memberSelect = {
  id: true,
  userId: true,
  role: true,
  createdAt: true,
  user: { select: { email: true, name: true } },
} as const;

type MemberRow = { id: string; userId: string; role: WorkspaceRole; createdAt: Date; user: { email: string; name: string } };

function toMember(row: MemberRow): MemberSummary {
  return { id: row.id, userId: row.userId, role: row.role, createdAt: row.createdAt, email: row.user.email, name: row.user.name };
}

/** Creates a workspace whose only member is `ownerUserId`, as owner. */
export async function createWorkspaceWithOwner(
  db: Database,
  input: { name: string; slug: string; ownerUserId: string },
) {
  return db.prisma.workspace.create({
    data: {
      name: input.name,
      slug: input.slug,
      memberships: { create: { userId: input.ownerUserId, role: 'owner' } },
    },
    select: { id: true, name: true, slug: true, isDemo: true },
  });
}

export async function isWorkspaceSlugTaken(db: Database, slug: string): Promise<boolean> {
  return (await db.prisma.workspace.count({ where: { slug } })) > 0;
}

/**
 * Deletes the workspace and every row it owns in every table, in one
 * transaction (see purgeWorkspace); null when there is no such workspace.
 */
export async function deleteWorkspace(db: Database, workspaceId: string): Promise<WorkspacePurgeResult | null> {
  return purgeWorkspace(db, workspaceId);
}

/** Members in the order they joined (createdAt, then id), one page at a time. */
export async function listMembers(db: Database, workspaceId: string, page: PageRequest): Promise<MemberSummary[]> {
  const rows = await db.prisma.membership.findMany({
    where: { workspaceId, ...rowsAfter(page.after, 'asc') },
    select: memberSelect,
    orderBy: pageOrder('asc'),
    take: page.limit,
  });
  return rows.map(toMember);
}

export type MemberChangeResult =
  | { status: 'ok'; member: MemberSummary | null }
  | { status: 'not-found' }
  | { status: 'last-owner' };

/**
 * Changes a member's role, or removes the member when `role` is null. A
 * workspace always keeps at least one owner; the check and the write share one
 * transaction so two concurrent demotions cannot both pass it.
 */
export async function changeMember(
  db: Database,
  input: { workspaceId: string; memberId: string; role: WorkspaceRole | null; actor: AuditActor },
): Promise<MemberChangeResult> {
  return db.prisma.$transaction(async (transaction) => {
    const current = await transaction.membership.findFirst({
      where: { id: input.memberId, workspaceId: input.workspaceId },
      select: { id: true, role: true },
    });
    if (!current) return { status: 'not-found' } as const;
    if (current.role === 'owner' && input.role !== 'owner') {
      const owners = await transaction.membership.count({ where: { workspaceId: input.workspaceId, role: 'owner' } });
      if (owners <= 1) return { status: 'last-owner' } as const;
    }
    const member =
      input.role === null
        ? (await transaction.membership.delete({ where: { id: current.id } }), null)
        : toMember(await transaction.membership.update({ where: { id: current.id }, data: { role: input.role }, select: memberSelect }));
    await transaction.auditLog.create({
      data: {
        workspaceId: input.workspaceId,
        ...input.actor,
        action: input.role === null ? 'member.remove' : 'member.change-role',
        targetType: 'membership',
        targetId: current.id,
        data: { from: current.role, to: input.role },
      },
    });
    return { status: 'ok', member } as const;
  });
}

export async function writeAuditLog(
  db: Database,
  entry: { workspaceId: string; actor: AuditActor; action: string; targetType: string; targetId: string | null; data?: Record<string, string | number | boolean | null> },
): Promise<void> {
  await db.prisma.auditLog.create({
    data: {
      workspaceId: entry.workspaceId,
      actorType: entry.actor.actorType,
      actorId: entry.actor.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      data: entry.data ?? {},
    },
  });
}

export async function findDemoWorkspace(db: Database) {
  return db.prisma.workspace.findFirst({ where: { isDemo: true }, select: { id: true, name: true, slug: true } });
}

export async function countOwners(db: Database, workspaceId: string): Promise<number> {
  return db.prisma.membership.count({ where: { workspaceId, role: 'owner' } });
}

export async function addMembership(db: Database, input: { workspaceId: string; userId: string; role: WorkspaceRole }) {
  return db.prisma.membership.upsert({
    where: { workspaceId_userId: { workspaceId: input.workspaceId, userId: input.userId } },
    create: input,
    update: {},
    select: { id: true, role: true },
  });
}

export async function findUserByEmail(db: Database, email: string) {
  return db.prisma.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, email: true, name: true } });
}
