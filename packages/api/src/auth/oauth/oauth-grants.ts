import { pageOrder, rowsAfter, type Database, type PageRequest } from '@opspilot/db';
import { revokeOAuthGrant } from './oauth-store';

/** `lastUsedAt` of a grant is written at most once a minute (as for API keys). */
export const grantTouchIntervalMs = 60_000;

/** A grant the console shows: which application, who allowed it, what it may do, and when it last acted. */
export interface ConnectedApp {
  grantId: string;
  clientId: string;
  clientName: string;
  userId: string;
  userName: string | null;
  userEmail: string | null;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** Who is looking: owners and admins see every grant of the workspace, anyone else only the grants they made. */
export interface GrantViewer {
  workspaceId: string;
  userId: string;
  seesEveryGrant: boolean;
}

/**
 * A grant is live while it is not revoked and one of its tokens is: a grant
 * whose last refresh token expired can never act again, so it is not listed
 * (housekeeping deletes it later).
 */
function liveGrantsOf(viewer: GrantViewer, now: Date, grantId?: string) {
  return {
    ...(grantId ? { id: grantId } : {}),
    workspaceId: viewer.workspaceId,
    revokedAt: null,
    tokens: { some: { revokedAt: null, expiresAt: { gt: now } } },
    ...(viewer.seesEveryGrant ? {} : { userId: viewer.userId }),
  };
}

/** The live grants this viewer may see, newest first (createdAt, then id), one page at a time, with the client's name and the granting person. */
export async function listConnectedApps(
  db: Database,
  request: PageRequest & { viewer: GrantViewer; now: Date; grantId?: string },
): Promise<ConnectedApp[]> {
  const grants = await db.prisma.oAuthGrant.findMany({
    where: { ...liveGrantsOf(request.viewer, request.now, request.grantId), ...rowsAfter(request.after, 'desc') },
    select: { id: true, clientId: true, userId: true, scopes: true, createdAt: true, lastUsedAt: true },
    orderBy: pageOrder('desc'),
    take: request.limit,
  });
  const [clients, users] = await Promise.all([
    db.prisma.oAuthClient.findMany({ where: { clientId: { in: [...new Set(grants.map((grant) => grant.clientId))] } }, select: { clientId: true, name: true } }),
    db.prisma.user.findMany({ where: { id: { in: [...new Set(grants.map((grant) => grant.userId))] } }, select: { id: true, name: true, email: true } }),
  ]);
  const clientNames = new Map(clients.map((client) => [client.clientId, client.name]));
  const people = new Map(users.map((user) => [user.id, user]));
  return grants.map((grant) => ({
    grantId: grant.id,
    clientId: grant.clientId,
    clientName: clientNames.get(grant.clientId) ?? 'Unknown application',
    userId: grant.userId,
    userName: people.get(grant.userId)?.name ?? null,
    userEmail: people.get(grant.userId)?.email ?? null,
    scopes: grant.scopes,
    createdAt: grant.createdAt,
    lastUsedAt: grant.lastUsedAt,
  }));
}

/**
 * Revokes a live grant the viewer may see, with all its tokens at once (the
 * next call with its access token gets 401). Null when there is no such
 * grant for this viewer: another workspace's, another person's (for members
 * and viewers), or already revoked.
 */
export async function revokeConnectedApp(db: Database, request: { viewer: GrantViewer; grantId: string; now: Date }): Promise<ConnectedApp | null> {
  const { viewer, now } = request;
  const [app] = await listConnectedApps(db, { viewer, now, limit: 1, grantId: request.grantId });
  if (!app) return null;
  await revokeOAuthGrant(db, app.grantId, now);
  return app;
}

/** Records that a grant acted now, unless it already did within the last minute (one conditional write). */
export async function touchOAuthGrant(db: Database, grantId: string, now: Date): Promise<void> {
  const threshold = new Date(now.getTime() - grantTouchIntervalMs);
  await db.prisma.oAuthGrant.updateMany({
    where: { id: grantId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: threshold } }] },
    data: { lastUsedAt: now },
  });
}
