import type {
  IntegrationRecord,
  IntegrationRepository,
  McpServerRecord,
  ToolCallAuditPort,
  ToolCallStatus,
} from '@opspilot/core/integrations';
import type { Database } from '../client';
import { Prisma } from '../generated/prisma/client';
import { completeIdempotencyKey, releaseIdempotencyKey, reserveIdempotencyKey } from './gateway-idempotency';
import { createSandboxDataStore } from './integration-sandbox-data';

type JsonObject = Record<string, unknown>;

function asObject(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}

const integrationSelect = {
  id: true, workspaceId: true, provider: true, name: true, mode: true, enabled: true, secretCiphertext: true, config: true,
  disabledTools: true, status: true, lastError: true, lastCheckedAt: true, createdAt: true, updatedAt: true,
} as const;

const serverSelect = {
  id: true, workspaceId: true, name: true, url: true, headersCiphertext: true, enabled: true, disabledTools: true, timeoutMs: true,
  status: true, lastError: true, lastCheckedAt: true, createdAt: true, updatedAt: true,
} as const;

function toIntegration(row: Prisma.IntegrationGetPayload<{ select: typeof integrationSelect }>): IntegrationRecord {
  return { ...row, mode: row.mode, config: asObject(row.config) };
}

/**
 * Integrations and MCP servers. Every query carries the workspace id, so a
 * record (and its ciphertext) of another workspace is never returned.
 */
export function createIntegrationRepository(db: Database): IntegrationRepository {
  const { prisma } = db;
  return {
    async listIntegrations(workspaceId) {
      const rows = await prisma.integration.findMany({ where: { workspaceId }, select: integrationSelect, orderBy: { createdAt: 'asc' } });
      return rows.map(toIntegration);
    },
    async findIntegration(workspaceId, integrationId) {
      const row = await prisma.integration.findFirst({ where: { id: integrationId, workspaceId }, select: integrationSelect });
      return row ? toIntegration(row) : null;
    },
    async createIntegration(record) {
      const row = await prisma.integration.create({ data: { ...record, config: toJson(record.config) }, select: integrationSelect });
      return toIntegration(row);
    },
    async updateIntegration(workspaceId, integrationId, patch) {
      const { config, ...rest } = patch;
      const result = await prisma.integration.updateMany({
        where: { id: integrationId, workspaceId },
        data: { ...rest, ...(config ? { config: toJson(config) } : {}) },
      });
      return result.count === 0 ? null : this.findIntegration(workspaceId, integrationId);
    },
    async deleteIntegration(workspaceId, integrationId) {
      return (await prisma.integration.deleteMany({ where: { id: integrationId, workspaceId } })).count > 0;
    },
    async listMcpServers(workspaceId) {
      return prisma.mcpServer.findMany({ where: { workspaceId }, select: serverSelect, orderBy: { createdAt: 'asc' } });
    },
    async findMcpServer(workspaceId, serverId): Promise<McpServerRecord | null> {
      return prisma.mcpServer.findFirst({ where: { id: serverId, workspaceId }, select: serverSelect });
    },
    async createMcpServer(record) {
      return prisma.mcpServer.create({ data: record, select: serverSelect });
    },
    async updateMcpServer(workspaceId, serverId, patch) {
      const result = await prisma.mcpServer.updateMany({ where: { id: serverId, workspaceId }, data: patch });
      return result.count === 0 ? null : this.findMcpServer(workspaceId, serverId);
    },
    async deleteMcpServer(workspaceId, serverId) {
      return (await prisma.mcpServer.deleteMany({ where: { id: serverId, workspaceId } })).count > 0;
    },
  };
}

/** The tool-call audit log (ToolCall rows): argument hashes, never arguments. */
export function createToolCallAudit(db: Database): ToolCallAuditPort {
  const { prisma } = db;
  return {
    async recordToolCall(entry) {
      await prisma.toolCall.create({
        data: {
          id: entry.id,
          workspaceId: entry.workspaceId,
          actorType: entry.actor.type,
          actorId: entry.actor.id,
          agentId: entry.actor.agentId ?? null,
          runId: entry.actor.runId ?? null,
          sessionId: entry.actor.sessionId ?? null,
          server: entry.server,
          tool: entry.tool,
          argsHash: entry.argsHash,
          status: entry.status,
          latencyMs: entry.latencyMs,
          error: entry.error,
          idempotencyKey: entry.idempotencyKey,
          result: entry.result === null || entry.result === undefined ? Prisma.DbNull : toJson(entry.result),
          createdAt: entry.createdAt,
        },
      });
    },
    reserveIdempotencyKey: (input) => reserveIdempotencyKey(db, input),
    completeIdempotencyKey: (input) => completeIdempotencyKey(db, input),
    releaseIdempotencyKey: (input) => releaseIdempotencyKey(db, input),
    async listToolCalls(workspaceId, query) {
      const rows = await prisma.toolCall.findMany({
        where: {
          workspaceId,
          ...(query.before ? { createdAt: { lt: query.before } } : {}),
          ...(query.tool ? { tool: query.tool } : {}),
          ...(query.status ? { status: query.status } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit,
      });
      return rows.map((row) => ({
        id: row.id,
        workspaceId: row.workspaceId,
        actor: {
          type: row.actorType as 'user' | 'agent' | 'workflow' | 'api_key' | 'system',
          id: row.actorId,
          agentId: row.agentId,
          runId: row.runId,
          sessionId: row.sessionId,
        },
        server: row.server,
        tool: row.tool,
        argsHash: row.argsHash,
        status: row.status as ToolCallStatus,
        latencyMs: row.latencyMs,
        error: row.error,
        idempotencyKey: row.idempotencyKey,
        createdAt: row.createdAt,
      }));
    },
  };
}

/** Everything the MCP gateway needs from the database. */
export function createIntegrationStore(db: Database) {
  return {
    integrations: createIntegrationRepository(db),
    audit: createToolCallAudit(db),
    sandbox: createSandboxDataStore(db),
  };
}
