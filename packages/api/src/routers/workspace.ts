import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { listWorkspacesOfUser, readWorkspaceOverview, findWorkspace } from '@opspilot/db';
import { authedProcedure, workspaceProcedure } from '../procedures';
import { router } from '../trpc';

const Role = z.enum(['owner', 'admin', 'member', 'viewer']);

export const WorkspaceSummaryOutput = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  role: Role,
  isDemo: z.boolean(),
});

export const OverviewOutput = z.object({
  workspace: z.object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    currency: z.string(),
    timezone: z.string(),
    isDemo: z.boolean(),
  }),
  mrrCents: z.number(),
  payingCustomers: z.number(),
  customers: z.number(),
  openIncidents: z.number(),
  activeUsersLastDay: z.number().nullable(),
  asOf: z.string(),
});

export const workspaceRouter = router({
  list: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces', summary: "The caller's workspaces", protect: true } })
    .input(z.void())
    .output(z.array(WorkspaceSummaryOutput))
    .query(async ({ ctx }) => {
      const principal = ctx.principal;
      if (principal.kind === 'user') return listWorkspacesOfUser(ctx.runtime.db, principal.userId);
      const workspace = await findWorkspace(ctx.runtime.db, principal.workspaceId);
      if (!workspace) return [];
      const role = principal.scopes.includes('admin') ? 'admin' : principal.scopes.includes('write') ? 'member' : 'viewer';
      return [{ id: workspace.id, name: workspace.name, slug: workspace.slug, isDemo: workspace.isDemo, role }];
    }),
  overview: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/overview', summary: 'Headline numbers', protect: true } })
    .output(OverviewOutput)
    .query(async ({ ctx }) => {
      const overview = await readWorkspaceOverview(ctx.runtime.db, ctx.access.workspaceId, ctx.runtime.clock.now());
      if (!overview) throw new TRPCError({ code: 'NOT_FOUND', message: `Workspace ${ctx.access.workspaceId} not found.` });
      return overview;
    }),
});
