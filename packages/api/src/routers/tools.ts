import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { connectorNames, hashArguments, type GatewayTool, type McpGateway, type ToolCallActor } from '@opspilot/core/integrations';
import { createIntegrationStore } from '@opspilot/db';
import { maximumPageSize, workspaceProcedure, type WorkspaceAccess } from '../procedures';
import { router } from '../trpc';
import { CursorPageInput, decodePageCursor, encodePageCursor } from './page-cursor';
import { gatewayIds } from '../integrations-runtime';
import type { Runtime } from '../runtime';

const ToolName = z.string().min(3).max(200);
const JsonObject = z.record(z.string(), z.unknown());
const toolCallStatuses = ['ok', 'tool_error', 'error', 'timeout', 'unavailable', 'rate_limited', 'forbidden', 'deduplicated'] as const;

const ToolOutput = z.object({
  name: z.string(),
  namespace: z.string(),
  toolName: z.string(),
  source: z.enum(['built_in', 'external']),
  mode: z.enum(['live', 'sandbox']).nullable(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  inputSchema: JsonObject,
  outputSchema: JsonObject.nullable(),
  annotations: z.object({
    readOnlyHint: z.boolean().optional(),
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  }),
  enabled: z.boolean(),
  /** True when a direct call is refused: the tool must run behind a workflow approval. */
  needsApproval: z.boolean(),
});

export const ListToolsInput = z.object({
  /** Also list tools switched off for this workspace. A string, because it travels in the REST query string. */
  includeDisabled: z.enum(['true', 'false']).optional(),
});

export const CallToolInput = z.object({
  tool: ToolName,
  args: JsonObject.default({}),
  /** A repeated write with the same key returns the first answer instead of acting again. */
  idempotencyKey: z.string().min(1).max(200).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
});
export type CallToolInput = z.infer<typeof CallToolInput>;

const ToolCallOutput = z.object({
  tool: z.string(),
  isError: z.boolean(),
  structuredContent: JsonObject.nullable(),
  text: z.array(z.string()),
  deduplicated: z.boolean(),
  latencyMs: z.number(),
  callId: z.string(),
});

export const AuditLogInput = CursorPageInput.extend({
  tool: ToolName.optional(),
  status: z.enum(toolCallStatuses).optional(),
});
export type AuditLogInput = z.infer<typeof AuditLogInput>;

const AuditRowOutput = z.object({
  id: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  agentId: z.string().nullable(),
  runId: z.string().nullable(),
  sessionId: z.string().nullable(),
  server: z.string(),
  tool: z.string(),
  argsHash: z.string(),
  status: z.enum(toolCallStatuses),
  latencyMs: z.number(),
  error: z.string().nullable(),
  idempotencyKey: z.string().nullable(),
  createdAt: z.string(),
});

export const OutboxInput = z.object({
  connector: z.enum(connectorNames).optional(),
  limit: z.coerce.number().int().min(1).max(maximumPageSize).default(50),
});

const OutboxEntryOutput = z.object({
  id: z.string(),
  connector: z.string(),
  action: z.string(),
  payload: JsonObject,
  idempotencyKey: z.string().nullable(),
  createdAt: z.string(),
});

/**
 * MCP spec defaults: a tool that is not read-only is destructive unless it
 * says `destructiveHint: false`, so an unannotated external tool counts too.
 */
export function needsApproval(tool: Pick<GatewayTool, 'annotations'>): boolean {
  return tool.annotations.readOnlyHint !== true && tool.annotations.destructiveHint !== false;
}

export function toolCallActorOf(access: WorkspaceAccess): ToolCallActor {
  return access.principal.kind === 'user' ? { type: 'user', id: access.principal.userId } : { type: 'api_key', id: access.principal.apiKeyId };
}

/** Loads the tool with its hints; unknown tools are NOT_FOUND, a server that cannot answer is SERVICE_UNAVAILABLE. */
async function requireTool(gateway: McpGateway, workspaceId: string, name: string): Promise<GatewayTool> {
  const listing = await gateway.listTools(workspaceId, { includeDisabled: true });
  const tool = listing.tools.find((candidate) => candidate.name === name);
  if (tool) return tool;
  const namespace = name.split('__')[0] ?? '';
  const down = listing.unavailable.find((entry) => entry.namespace === namespace);
  if (down) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: `Server ${namespace} cannot be reached: ${down.error}` });
  throw new TRPCError({ code: 'NOT_FOUND', message: `Tool ${name} not found in workspace ${workspaceId}.` });
}

/** A refused direct call of a destructive tool still leaves an audit row. */
async function refuseDestructiveCall(runtime: Runtime, access: WorkspaceAccess, tool: GatewayTool, input: CallToolInput): Promise<never> {
  const message = `Tool ${tool.name} is destructive: it runs only as a workflow action after an approval, not as a direct call.`;
  await createIntegrationStore(runtime.db).audit.recordToolCall({
    id: gatewayIds.next('toolcall'),
    workspaceId: access.workspaceId,
    actor: toolCallActorOf(access),
    server: tool.namespace,
    tool: tool.name,
    argsHash: hashArguments(input.args),
    status: 'forbidden',
    latencyMs: 0,
    error: message,
    idempotencyKey: input.idempotencyKey ?? null,
    result: null,
    createdAt: runtime.clock.now(),
  });
  throw new TRPCError({ code: 'PRECONDITION_FAILED', message });
}

/** Rows sharing the cursor's millisecond this deep are still paged exactly. */
const sameInstantOverlap = 100;

/**
 * Keyset paging on (createdAt, id) descending over the audit port, which
 * pages by time only: ask from just after the cursor's instant and drop the
 * rows of that instant already returned.
 */
export async function readAuditPage(gateway: McpGateway, workspaceId: string, input: AuditLogInput) {
  const cursor = decodePageCursor(input.cursor) ?? null;
  const rows = await gateway.listToolCalls(workspaceId, {
    limit: input.limit + 1 + (cursor ? sameInstantOverlap : 0),
    ...(cursor ? { before: new Date(cursor.createdAt.getTime() + 1) } : {}),
    ...(input.tool ? { tool: input.tool } : {}),
    ...(input.status ? { status: input.status } : {}),
  });
  const remaining = cursor
    ? rows.filter((row) => row.createdAt < cursor.createdAt || (row.createdAt.getTime() === cursor.createdAt.getTime() && row.id < cursor.id))
    : rows;
  const page = remaining.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ actor, createdAt, ...row }) => ({
      ...row,
      actorType: actor.type,
      actorId: actor.id,
      agentId: actor.agentId ?? null,
      runId: actor.runId ?? null,
      sessionId: actor.sessionId ?? null,
      createdAt: createdAt.toISOString(),
    })),
    nextCursor: remaining.length > input.limit && last ? encodePageCursor(last) : null,
  };
}

/** The workspace's tools through the MCP gateway: discovery, direct calls for the console, switches, audit and outbox. */
export const toolsRouter = router({
  list: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/tools', summary: 'Tools of the workspace (built-in connectors and MCP servers)', tags: ['tools'], protect: true } })
    .input(ListToolsInput)
    .output(z.object({ tools: z.array(ToolOutput), unavailable: z.array(z.object({ namespace: z.string(), error: z.string() })) }))
    .query(async ({ ctx, input }) => {
      const includeDisabled = input.includeDisabled === 'true';
      const listing = await ctx.runtime.gateway.listTools(ctx.access.workspaceId, { includeDisabled });
      return { tools: listing.tools.map((tool) => ({ ...tool, needsApproval: needsApproval(tool) })), unavailable: listing.unavailable };
    }),
  // `call` is a reserved word of tRPC routers (the proxy's Function.prototype.call), hence `invoke`.
  invoke: workspaceProcedure('member')
    .meta({ openapi: { method: 'POST', path: '/v1/workspaces/{workspaceId}/tools/call', summary: 'Call a read-only or non-destructive tool (destructive ones need a workflow approval)', tags: ['tools'], protect: true } })
    .input(CallToolInput)
    .output(ToolCallOutput)
    .mutation(async ({ ctx, input, signal }) => {
      const tool = await requireTool(ctx.runtime.gateway, ctx.access.workspaceId, input.tool);
      if (needsApproval(tool)) return refuseDestructiveCall(ctx.runtime, ctx.access, tool, input);
      return ctx.runtime.gateway.callTool({
        workspaceId: ctx.access.workspaceId,
        actor: toolCallActorOf(ctx.access),
        tool: input.tool,
        args: input.args,
        ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
        ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
        ...(signal ? { signal } : {}),
      });
    }),
  setEnabled: workspaceProcedure('admin')
    .meta({ openapi: { method: 'PATCH', path: '/v1/workspaces/{workspaceId}/tools/{tool}', summary: 'Switch one tool on or off for the workspace', tags: ['tools'], protect: true } })
    .input(z.object({ tool: ToolName, enabled: z.boolean() }))
    .output(z.object({ tool: z.string(), enabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await ctx.runtime.gateway.setToolEnabled(ctx.access.workspaceId, input.tool, input.enabled);
      return { tool: input.tool, enabled: input.enabled };
    }),
  auditLog: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/tool-calls', summary: 'Audit log of tool calls, newest first (argument hashes, never arguments)', tags: ['tools'], protect: true } })
    .input(AuditLogInput)
    .output(z.object({ items: z.array(AuditRowOutput), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => readAuditPage(ctx.runtime.gateway, ctx.access.workspaceId, input)),
  outbox: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/sandbox/outbox', summary: 'Writes the sandbox connectors would have sent, newest first', tags: ['tools'], protect: true } })
    .input(OutboxInput)
    .output(z.array(OutboxEntryOutput))
    .query(async ({ ctx, input }) => {
      const entries = await createIntegrationStore(ctx.runtime.db).sandbox.listOutbox(ctx.access.workspaceId, {
        limit: input.limit,
        ...(input.connector ? { connector: input.connector } : {}),
      });
      return entries.map((entry) => ({ id: entry.id, connector: entry.connector, action: entry.action, payload: entry.payload, idempotencyKey: entry.idempotencyKey, createdAt: entry.createdAt.toISOString() }));
    }),
});
