import { z } from 'zod';
import {
  CreateIntegrationInput,
  CreateMcpServerInput,
  UpdateIntegrationInput,
  UpdateMcpServerInput,
  type IntegrationView,
  type McpServerView,
} from '@opspilot/core/integrations';
import { workspaceProcedure } from '../procedures';
import { router } from '../trpc';

const IntegrationId = z.object({ integrationId: z.string().min(1).max(64) });
const McpServerId = z.object({ mcpServerId: z.string().min(1).max(64) });

const statusFields = {
  enabled: z.boolean(),
  disabledTools: z.array(z.string()),
  status: z.string(),
  lastError: z.string().nullable(),
  lastCheckedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

/** Credentials are write-only: the output says whether some are stored, never what. */
const IntegrationOutput = z.object({
  id: z.string(),
  provider: z.string(),
  name: z.string(),
  mode: z.enum(['live', 'sandbox']),
  hasCredentials: z.boolean(),
  config: z.record(z.string(), z.unknown()),
  ...statusFields,
});

/** Header values are write-only: only their names come back. */
const McpServerOutput = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  headerNames: z.array(z.string()),
  timeoutMs: z.number().int(),
  ...statusFields,
});

const ConnectionTestOutput = z.object({ ok: z.boolean(), toolCount: z.number().int(), error: z.string().nullable() });
const DeletedOutput = z.object({ id: z.string(), deleted: z.literal(true) });

function statusOf(view: IntegrationView | McpServerView) {
  return {
    enabled: view.enabled,
    disabledTools: view.disabledTools,
    status: view.status,
    lastError: view.lastError,
    lastCheckedAt: view.lastCheckedAt?.toISOString() ?? null,
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
  };
}

/** Field by field, so a secret added to the core view later cannot leak through a spread. */
function toIntegrationOutput(view: IntegrationView) {
  return { id: view.id, provider: view.provider, name: view.name, mode: view.mode, hasCredentials: view.hasCredentials, config: view.config, ...statusOf(view) };
}

function toMcpServerOutput(view: McpServerView) {
  return { id: view.id, name: view.name, url: view.url, headerNames: view.headerNames, timeoutMs: view.timeoutMs, ...statusOf(view) };
}

const integrationsPath = '/v1/workspaces/{workspaceId}/integrations';

/** Built-in connectors of a workspace (Stripe, Supabase, Slack, Notion, Linear), live or sandbox. */
export const integrationsRouter = router({
  list: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: integrationsPath, summary: 'Integrations (never their credentials)', tags: ['integrations'], protect: true } })
    .output(z.array(IntegrationOutput))
    .query(async ({ ctx }) => (await ctx.runtime.gateway.listIntegrations(ctx.access.workspaceId)).map(toIntegrationOutput)),
  create: workspaceProcedure('admin')
    .meta({ openapi: { method: 'POST', path: integrationsPath, summary: 'Add a built-in connector (credentials are write-only)', tags: ['integrations'], protect: true } })
    .input(CreateIntegrationInput)
    .output(IntegrationOutput)
    .mutation(async ({ ctx, input }) => {
      const { workspaceId: _workspaceId, ...fields } = input;
      return toIntegrationOutput(await ctx.runtime.gateway.createIntegration(ctx.access.workspaceId, fields));
    }),
  update: workspaceProcedure('admin')
    .meta({ openapi: { method: 'PATCH', path: `${integrationsPath}/{integrationId}`, summary: 'Change mode, credentials, config or switches', tags: ['integrations'], protect: true } })
    .input(UpdateIntegrationInput.extend(IntegrationId.shape))
    .output(IntegrationOutput)
    .mutation(async ({ ctx, input }) => {
      const { workspaceId: _workspaceId, integrationId, ...patch } = input;
      return toIntegrationOutput(await ctx.runtime.gateway.updateIntegration(ctx.access.workspaceId, integrationId, patch));
    }),
  delete: workspaceProcedure('admin')
    .meta({ openapi: { method: 'DELETE', path: `${integrationsPath}/{integrationId}`, summary: 'Remove an integration and its stored credentials', tags: ['integrations'], protect: true } })
    .input(IntegrationId)
    .output(DeletedOutput)
    .mutation(async ({ ctx, input }) => {
      await ctx.runtime.gateway.deleteIntegration(ctx.access.workspaceId, input.integrationId);
      return { id: input.integrationId, deleted: true as const };
    }),
  test: workspaceProcedure('admin')
    .meta({ openapi: { method: 'POST', path: `${integrationsPath}/{integrationId}/test`, summary: 'Connect and list tools; stores the outcome as the status', tags: ['integrations'], protect: true } })
    .input(IntegrationId)
    .output(ConnectionTestOutput)
    .mutation(({ ctx, input }) => ctx.runtime.gateway.testIntegration(ctx.access.workspaceId, input.integrationId)),
});

const serversPath = '/v1/workspaces/{workspaceId}/mcp-servers';

/** External MCP servers reached over Streamable HTTP; URLs pass the gateway's SSRF guard. */
export const mcpServersRouter = router({
  list: workspaceProcedure('admin')
    .meta({ openapi: { method: 'GET', path: serversPath, summary: 'External MCP servers (header names only)', tags: ['integrations'], protect: true } })
    .output(z.array(McpServerOutput))
    .query(async ({ ctx }) => (await ctx.runtime.gateway.listMcpServers(ctx.access.workspaceId)).map(toMcpServerOutput)),
  create: workspaceProcedure('admin')
    .meta({ openapi: { method: 'POST', path: serversPath, summary: 'Add an external MCP server by URL (headers are write-only)', tags: ['integrations'], protect: true } })
    .input(CreateMcpServerInput)
    .output(McpServerOutput)
    .mutation(async ({ ctx, input }) => {
      const { workspaceId: _workspaceId, ...fields } = input;
      return toMcpServerOutput(await ctx.runtime.gateway.createMcpServer(ctx.access.workspaceId, fields));
    }),
  update: workspaceProcedure('admin')
    .meta({ openapi: { method: 'PATCH', path: `${serversPath}/{mcpServerId}`, summary: 'Change URL, headers, timeout or switches', tags: ['integrations'], protect: true } })
    .input(UpdateMcpServerInput.extend(McpServerId.shape))
    .output(McpServerOutput)
    .mutation(async ({ ctx, input }) => {
      const { workspaceId: _workspaceId, mcpServerId, ...patch } = input;
      return toMcpServerOutput(await ctx.runtime.gateway.updateMcpServer(ctx.access.workspaceId, mcpServerId, patch));
    }),
  delete: workspaceProcedure('admin')
    .meta({ openapi: { method: 'DELETE', path: `${serversPath}/{mcpServerId}`, summary: 'Remove an external MCP server', tags: ['integrations'], protect: true } })
    .input(McpServerId)
    .output(DeletedOutput)
    .mutation(async ({ ctx, input }) => {
      await ctx.runtime.gateway.deleteMcpServer(ctx.access.workspaceId, input.mcpServerId);
      return { id: input.mcpServerId, deleted: true as const };
    }),
  test: workspaceProcedure('admin')
    .meta({ openapi: { method: 'POST', path: `${serversPath}/{mcpServerId}/test`, summary: 'Connect and list tools; stores the outcome as the status', tags: ['integrations'], protect: true } })
    .input(McpServerId)
    .output(ConnectionTestOutput)
    .mutation(({ ctx, input }) => ctx.runtime.gateway.testMcpServer(ctx.access.workspaceId, input.mcpServerId)),
});
