import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { AppError } from '../errors';
import { hashArguments, toCanonicalJson } from './canonical-json';
import { statusOfError, toCallError } from './call-errors';
import { ConnectionPool, type UpstreamConnection } from './connection-pool';
import { runOnceAcrossProcesses } from './idempotent-call';
import { idempotencyKeyMeta } from './connectors/connector';
import { createBuiltInConnectors } from './connectors';
import type { GatewayTool, ListToolsResult, McpGatewayDeps, CallToolRequest, ToolCallResult } from './gateway-types';
import { toolNameSeparator } from './gateway-types';
import { IntegrationAdmin } from './integration-admin';
import type { ListToolCallsQuery, ToolCallAuditRow, ToolCallStatus } from './ports';
import { createTokenBucketRateLimiter, defaultGatewayRateLimit, type RateLimiter } from './rate-limiter';
import { redactText } from './redact';
import { createSecretBox } from './secret-box';
import { resolveTargets, type UpstreamTarget } from './targets';
import { openBuiltInConnection, openExternalConnection } from './upstream';

const maxArgumentBytes = 256 * 1024;
/** Added to a call's timeout for its idempotency lease: only a holder that died or hung past its timeout loses the key. */
const leaseMarginMs = 5_000;

/** Splits `stripe__refund_payment` into its namespace and the upstream tool name. */
export function parseToolName(name: string): { namespace: string; toolName: string } {
  const index = name.indexOf(toolNameSeparator);
  if (index <= 0 || index + toolNameSeparator.length >= name.length) {
    throw new AppError('BAD_REQUEST', `Tool name ${name} is not of the form <server>__<tool>`);
  }
  return { namespace: name.slice(0, index), toolName: name.slice(index + toolNameSeparator.length) };
}

interface CallContext {
  request: CallToolRequest;
  callId: string;
  argsHash: string;
  startedAtMs: number;
  namespace: string;
  secrets: string[];
  writes: boolean;
}

/**
 * The integration gateway: one registry per workspace of built-in connectors
 * and external MCP servers, aggregated discovery under `<namespace>__<tool>`,
 * and audited, rate-limited, time-boxed tool calls. Processes share state
 * only through the ports (idempotency keys; the rate limit on PostgreSQL).
 */
export class McpGateway extends IntegrationAdmin {
  private readonly pool: ConnectionPool;
  private readonly rateLimiter: RateLimiter;
  private readonly inFlightWrites = new Map<string, Promise<ToolCallResult>>();

  constructor(deps: McpGatewayDeps) {
    const box = createSecretBox(deps.secretKey);
    const connectors = createBuiltInConnectors(() => deps.clock.now());
    super(deps, box, connectors);
    this.pool = new ConnectionPool(deps.maxConnections ?? 500);
    this.rateLimiter = deps.rateLimiter ?? createTokenBucketRateLimiter({ ...defaultGatewayRateLimit, clock: deps.clock });
  }

  /** Every tool of every enabled server in the workspace; servers that fail to answer are listed in `unavailable`. */
  async listTools(workspaceId: string, options: { includeDisabled?: boolean } = {}): Promise<ListToolsResult> {
    const targets = await resolveTargets(this.deps.integrations, this.connectors, workspaceId);
    const result: ListToolsResult = { tools: [], unavailable: [] };
    await Promise.all(
      targets
        .filter((target) => target.enabled || options.includeDisabled)
        .map(async (target) => {
          try {
            const connection = await this.acquire(target);
            for (const tool of connection.tools) {
              const described = describeTool(target, tool);
              if (described && (described.enabled || options.includeDisabled)) result.tools.push(described);
            }
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            result.unavailable.push({ namespace: target.namespace, error: redactText(message) });
          }
        }),
    );
    result.tools.sort((left, right) => left.name.localeCompare(right.name));
    return result;
  }

  /** Calls one namespaced tool for a workspace; writes one audit row whatever happens. */
  async callTool(request: CallToolRequest): Promise<ToolCallResult> {
    const context: CallContext = {
      request,
      callId: this.deps.ids.next('toolcall'),
      argsHash: hashArguments(request.args),
      startedAtMs: performance.now(),
      namespace: '',
      secrets: [],
      writes: true,
    };
    try {
      await this.rateLimiter.consume(request.workspaceId);
      if (toCanonicalJson(request.args).length > maxArgumentBytes) {
        throw new AppError('PAYLOAD_TOO_LARGE', `Arguments of ${request.tool} exceed ${maxArgumentBytes} bytes`);
      }
      const { namespace, toolName } = parseToolName(request.tool);
      context.namespace = namespace;
      const { target, connection, tool } = await this.prepareCall(request.workspaceId, namespace, toolName);
      context.secrets = connection.secrets;
      context.writes = tool.annotations?.readOnlyHint !== true;
      const key = request.idempotencyKey;
      if (!context.writes || key === undefined) return await this.invokeAndRecord(context, target, connection, toolName);
      const inFlightKey = `${request.workspaceId}\u0000${request.tool}\u0000${key}`;
      const pending = this.inFlightWrites.get(inFlightKey);
      if (pending) {
        const shared = await pending;
        await this.recordCall(context, 'deduplicated', null, null);
        return { ...shared, deduplicated: true, latencyMs: this.elapsed(context), callId: context.callId };
      }
      const call = this.invokeOnce(context, target, connection, toolName, key);
      this.inFlightWrites.set(inFlightKey, call);
      try {
        return await call;
      } finally {
        this.inFlightWrites.delete(inFlightKey);
      }
    } catch (error) {
      const appError = toCallError(error, { tool: request.tool, secrets: context.secrets, callerAborted: request.signal?.aborted ?? false });
      if (appError.code === 'UNAVAILABLE' && context.namespace !== '') this.pool.evict(`${request.workspaceId}:${context.namespace}`);
      await this.recordCall(context, statusOfError(appError), appError.message, null);
      throw appError;
    }
  }

  /** Audit rows of a workspace, newest first. */
  async listToolCalls(workspaceId: string, query: ListToolCallsQuery): Promise<ToolCallAuditRow[]> {
    const rows = await this.deps.audit.listToolCalls(workspaceId, { ...query, limit: Math.min(Math.max(query.limit, 1), 500) });
    return rows.map(({ result: _result, ...row }) => row);
  }

  /** Closes every pooled upstream connection. */
  async close(): Promise<void> {
    await this.pool.closeAll();
    await this.outbound.fetch.close();
  }

  protected override forgetConnection(workspaceId: string, namespace: string): void {
    this.pool.evict(`${workspaceId}:${namespace}`);
  }

  private async prepareCall(workspaceId: string, namespace: string, toolName: string) {
    const targets = await resolveTargets(this.deps.integrations, this.connectors, workspaceId);
    const target = targets.find((candidate) => candidate.namespace === namespace);
    if (!target) throw new AppError('NOT_FOUND', `No server ${namespace} in workspace ${workspaceId}`);
    if (!target.enabled) throw new AppError('FORBIDDEN', `Server ${namespace} is disabled in workspace ${workspaceId}`);
    if (target.disabledTools.includes(toolName)) {
      throw new AppError('FORBIDDEN', `Tool ${namespace}${toolNameSeparator}${toolName} is disabled in workspace ${workspaceId}`);
    }
    const connection = await this.acquire(target);
    const tool = connection.tools.find((candidate) => candidate.name === toolName);
    if (!tool) throw new AppError('NOT_FOUND', `Server ${namespace} has no tool ${toolName}`);
    return { target, connection, tool };
  }

  private async invokeOnce(context: CallContext, target: UpstreamTarget, connection: UpstreamConnection, toolName: string, key: string) {
    const { request } = context;
    const timeoutMs = this.timeoutOf(request, target);
    const outcome = await runOnceAcrossProcesses({
      audit: this.deps.audit,
      clock: this.deps.clock,
      logger: this.deps.logger,
      ref: { workspaceId: request.workspaceId, tool: request.tool, key, callId: context.callId },
      argsHash: context.argsHash,
      leaseMs: timeoutMs + leaseMarginMs,
      waitMs: timeoutMs,
      ...(request.signal ? { signal: request.signal } : {}),
      act: async () => {
        const result = await this.invokeAndRecord(context, target, connection, toolName);
        return { value: result, stored: result.isError ? null : toStoredResult(result) };
      },
    });
    if (outcome.acted) return outcome.value;
    const stored = outcome.stored as Omit<ToolCallResult, 'deduplicated' | 'latencyMs' | 'callId'>;
    const result: ToolCallResult = { ...stored, deduplicated: true, latencyMs: this.elapsed(context), callId: context.callId };
    await this.recordCall(context, 'deduplicated', null, null);
    return result;
  }

  private timeoutOf(request: CallToolRequest, target: UpstreamTarget): number {
    return request.timeoutMs ?? target.timeoutMs ?? this.deps.defaultTimeoutMs ?? 30_000;
  }

  private async invokeAndRecord(context: CallContext, target: UpstreamTarget, connection: UpstreamConnection, toolName: string) {
    const { request } = context;
    const key = request.idempotencyKey;
    const response = await connection.client.callTool(
      { name: toolName, arguments: request.args, ...(key ? { _meta: { [idempotencyKeyMeta]: key } } : {}) },
      undefined,
      { timeout: this.timeoutOf(request, target), ...(request.signal ? { signal: request.signal } : {}) },
    );
    const text = (Array.isArray(response.content) ? response.content : [])
      .flatMap((block: { type: string; text?: unknown }) => (block.type === 'text' && typeof block.text === 'string' ? [block.text] : []))
      .map((block) => redactText(block, connection.secrets));
    const isError = response.isError === true;
    const structured = response.structuredContent as Record<string, unknown> | undefined;
    const result: ToolCallResult = {
      tool: request.tool,
      isError,
      structuredContent: structured ?? null,
      text,
      deduplicated: false,
      latencyMs: this.elapsed(context),
      callId: context.callId,
    };
    const stored = !isError && context.writes && key ? toStoredResult(result) : null;
    await this.recordCall(context, isError ? 'tool_error' : 'ok', isError ? (text.join(' ').slice(0, 2000) || 'tool error') : null, stored);
    return result;
  }

  private async acquire(target: UpstreamTarget): Promise<UpstreamConnection> {
    const outbound = this.outbound;
    const open =
      target.kind === 'built_in'
        ? () => openBuiltInConnection({ connector: target.connector, record: target.record, box: this.box, sandbox: this.deps.sandbox, outbound })
        : () => openExternalConnection({ record: target.record, box: this.box, outbound });
    const connection = await this.pool.acquire(target.key, target.version, open);
    const ttl = this.deps.toolListTtlMs ?? 60_000;
    if (target.kind === 'external' && performance.now() - connection.listedAtMs > ttl) {
      connection.tools = (await connection.client.listTools(undefined, { timeout: target.timeoutMs })).tools;
      connection.listedAtMs = performance.now();
    }
    return connection;
  }

  private elapsed(context: CallContext): number {
    return Math.round(performance.now() - context.startedAtMs);
  }

  private async recordCall(context: CallContext, status: ToolCallStatus, error: string | null, result: unknown): Promise<void> {
    const { request } = context;
    try {
      await this.deps.audit.recordToolCall({
        id: context.callId,
        workspaceId: request.workspaceId,
        actor: request.actor,
        server: context.namespace,
        tool: request.tool,
        argsHash: context.argsHash,
        status,
        latencyMs: this.elapsed(context),
        error: error === null ? null : redactText(error, context.secrets),
        idempotencyKey: request.idempotencyKey ?? null,
        result,
        createdAt: this.deps.clock.now(),
      });
    } catch (auditError) {
      // The call already happened; losing its audit row is logged loudly rather than reported as a failed call.
      this.deps.logger.error('tool call audit write failed', {
        callId: context.callId,
        tool: request.tool,
        error: redactText(auditError instanceof Error ? auditError.message : String(auditError), context.secrets),
      });
    }
  }
}

/** The part of a result kept for repeated keys: everything but what belongs to one call. */
function toStoredResult(result: ToolCallResult): Omit<ToolCallResult, 'deduplicated' | 'latencyMs' | 'callId'> {
  return { tool: result.tool, isError: result.isError, structuredContent: result.structuredContent, text: result.text };
}

function describeTool(target: UpstreamTarget, tool: Tool): GatewayTool | null {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(tool.name)) return null;
  return {
    name: `${target.namespace}${toolNameSeparator}${tool.name}`,
    namespace: target.namespace,
    toolName: tool.name,
    source: target.kind,
    mode: target.kind === 'built_in' ? target.record.mode : null,
    title: tool.title ?? tool.annotations?.title ?? null,
    description: tool.description ?? null,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema ?? null,
    annotations: {
      ...(tool.annotations?.readOnlyHint === undefined ? {} : { readOnlyHint: tool.annotations.readOnlyHint }),
      ...(tool.annotations?.destructiveHint === undefined ? {} : { destructiveHint: tool.annotations.destructiveHint }),
      ...(tool.annotations?.idempotentHint === undefined ? {} : { idempotentHint: tool.annotations.idempotentHint }),
      ...(tool.annotations?.openWorldHint === undefined ? {} : { openWorldHint: tool.annotations.openWorldHint }),
    },
    enabled: target.enabled && !target.disabledTools.includes(tool.name),
  };
}
