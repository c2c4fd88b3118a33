import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { baseProcedure } from './trpc';
import type { ApiKeyScope, MemberRole, Principal } from './context';
import { enforceRateLimit } from './rate-limit/enforce';

const roleRank: Record<MemberRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** The API-key scope a role's actions need: read for viewers, write for members, admin above. */
const scopeForRole: Record<MemberRole, ApiKeyScope> = { viewer: 'read', member: 'write', admin: 'admin', owner: 'admin' };

/** Every procedure counts against the caller's rate limits (429 with Retry-After). */
export const publicProcedure = baseProcedure.use(async ({ ctx, next }) => {
  await enforceRateLimit(ctx);
  return next();
});

/** Any authenticated caller (console session or API key). */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in or send a valid API key.' });
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});

/** Only console users (not API keys), e.g. for creating workspaces. */
export const userProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.principal.kind !== 'user') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This action needs a signed-in user, not an API key.' });
  }
  return next({ ctx: { ...ctx, user: ctx.principal } });
});

export const WorkspaceScopedInput = z.object({ workspaceId: z.string().min(1).max(64) });

/** Largest page a list returns; the REST and tRPC inputs share it. */
export const maximumPageSize = 100;

/** `limit` + `cursor` (the id of the last item seen) for every list procedure. */
export const PageInput = z.object({
  limit: z.coerce.number().int().min(1).max(maximumPageSize).default(50),
  cursor: z.string().min(1).max(64).optional(),
});
export type PageInput = z.infer<typeof PageInput>;

export interface WorkspaceAccess {
  workspaceId: string;
  role: MemberRole;
  principal: Principal;
  /** Stable id for audit rows: the user id or `apikey:<id>`. */
  actorId: string;
}

/**
 * Procedures on one workspace. The caller must reach the workspace (member, or
 * a key of that workspace) with at least `minimumRole`; otherwise 404 (never
 * reveal that another workspace exists) or 403 (reachable, but role too low).
 * Every procedure that takes an object id must also load that object through
 * `ctx.access.workspaceId`, so ids from other workspaces read as not found.
 */
export function workspaceProcedure(minimumRole: MemberRole) {
  return authedProcedure.input(WorkspaceScopedInput).use(async ({ ctx, input, next }) => {
    const access = await resolveAccess(ctx.principal, input.workspaceId, ctx.runtime.workspaceAccess);
    if (!access) throw new TRPCError({ code: 'NOT_FOUND', message: `Workspace ${input.workspaceId} not found.` });
    if (roleRank[access.role] < roleRank[minimumRole]) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This action needs the ${minimumRole} role; you are ${access.role}.` });
    }
    return next({ ctx: { ...ctx, access } });
  });
}

export interface WorkspaceAccessPort {
  roleOfUser(userId: string, workspaceId: string): Promise<MemberRole | null>;
}

async function resolveAccess(
  principal: Principal,
  workspaceId: string,
  port: WorkspaceAccessPort,
): Promise<WorkspaceAccess | null> {
  if (principal.kind === 'apiKey') {
    if (principal.workspaceId !== workspaceId) return null;
    return { workspaceId, role: roleForScopes(principal.scopes), principal, actorId: `apikey:${principal.apiKeyId}` };
  }
  const role = await port.roleOfUser(principal.userId, workspaceId);
  return role ? { workspaceId, role, principal, actorId: principal.userId } : null;
}

/** A key acts with the highest role its scopes allow. */
export function roleForScopes(scopes: ApiKeyScope[]): MemberRole {
  if (scopes.includes('admin')) return 'admin';
  if (scopes.includes('write')) return 'member';
  return 'viewer';
}

export { roleRank, scopeForRole };
