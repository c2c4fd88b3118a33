import { router } from './trpc';
import { uiRouter } from './routers/ui';
import { systemRouter } from './routers/system';
import { workspaceRouter } from './routers/workspace';
import { authRouter } from './routers/auth';
import { workspaceAdminRouter } from './routers/workspaces-admin';
import { memberRouter } from './routers/members';
import { invitationRouter } from './routers/invitations';
import { apiKeyRouter } from './routers/api-keys';
import { chatRouter } from './routers/chat';
import { agentsRouter } from './routers/agents';
import { toolsRouter } from './routers/tools';
import { integrationsRouter, mcpServersRouter } from './routers/integrations';
import { workflowsRouter } from './routers/workflows';
import { signalsRouter } from './routers/signals';
import { oauthAppsRouter } from './routers/oauth-apps';

/** The whole API: one router per domain, paths `<domain>.<verb>`. */
export const appRouter = router({
  ui: uiRouter,
  system: systemRouter,
  // Reading workspaces (lead) and creating/deleting them (auth domain) share one namespace.
  workspace: router({ ...workspaceRouter._def.record, ...workspaceAdminRouter._def.record }),
  auth: authRouter,
  member: memberRouter,
  invitation: invitationRouter,
  apiKey: apiKeyRouter,
  chat: chatRouter,
  agents: agentsRouter,
  tools: toolsRouter,
  integrations: integrationsRouter,
  mcpServers: mcpServersRouter,
  signals: signalsRouter,
  workflows: workflowsRouter,
  oauthApps: oauthAppsRouter,
});

export type AppRouter = typeof appRouter;
