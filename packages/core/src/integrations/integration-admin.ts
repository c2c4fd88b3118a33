import type { z } from 'zod';
import { AppError } from '../errors';
import type { BuiltInConnector, ConnectorName } from './connectors/connector';
import { connectorNames } from './connectors/connector';
import {
  CreateIntegrationInput,
  CreateMcpServerInput,
  UpdateIntegrationInput,
  UpdateMcpServerInput,
  toolNameSeparator,
  type ConnectionTestResult,
  type IntegrationView,
  type McpGatewayDeps,
  type McpServerView,
} from './gateway-types';
import type { IntegrationMode, IntegrationRecord, McpServerRecord } from './ports';
import { redactText } from './redact';
import { bindSecret, type SecretBox } from './secret-box';
import { assertSafeOutboundUrl } from './ssrf-guard';
import { createGuardedFetch } from './guarded-fetch';
import { decryptJson, openBuiltInConnection, openExternalConnection, type OutboundAccess } from './upstream';

function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, what: string): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  // Issue messages only: zod would otherwise echo received (secret) values.
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  throw new AppError('BAD_REQUEST', `Invalid ${what}`, { issues });
}

function toIntegrationView(record: IntegrationRecord): IntegrationView {
  const { secretCiphertext, ...rest } = record;
  return { ...rest, hasCredentials: secretCiphertext !== null };
}

/**
 * Create/update/delete/test of a workspace's integrations and MCP servers.
 * Secrets go in encrypted and never come out: views carry `hasCredentials`
 * and header names only.
 */
export class IntegrationAdmin {
  /** The SSRF policy and the fetch that enforces it on every socket (closed by the gateway). */
  protected readonly outbound: OutboundAccess & { fetch: ReturnType<typeof createGuardedFetch> };

  constructor(
    protected readonly deps: McpGatewayDeps,
    protected readonly box: SecretBox,
    protected readonly connectors: ReadonlyMap<ConnectorName, BuiltInConnector>,
  ) {
    const policy = deps.outboundPolicy ?? {};
    this.outbound = { policy, fetch: createGuardedFetch(policy) };
  }

  /** Drops a cached connection after its record changed; the gateway overrides this. */
  protected forgetConnection(_workspaceId: string, _namespace: string): void {}

  async listIntegrations(workspaceId: string): Promise<IntegrationView[]> {
    return (await this.deps.integrations.listIntegrations(workspaceId)).map(toIntegrationView);
  }

  async createIntegration(workspaceId: string, rawInput: unknown): Promise<IntegrationView> {
    const input = parseInput(CreateIntegrationInput, rawInput, 'integration');
    const connector = this.requireConnector(input.provider);
    const existing = await this.deps.integrations.listIntegrations(workspaceId);
    if (existing.some((record) => record.provider === input.provider)) {
      throw new AppError('CONFLICT', `Workspace ${workspaceId} already has a ${input.provider} integration`);
    }
    const id = this.deps.ids.next('integration');
    const config = await this.validateSettings(connector, input.mode, input.config, input.credentials ?? null);
    const record = await this.deps.integrations.createIntegration({
      id,
      workspaceId,
      provider: input.provider,
      name: input.provider,
      mode: input.mode,
      enabled: input.enabled,
      secretCiphertext: input.credentials ? this.box.encrypt(JSON.stringify(input.credentials), bindSecret(workspaceId, id)) : null,
      config,
      disabledTools: [],
    });
    return toIntegrationView(record);
  }

  async updateIntegration(workspaceId: string, integrationId: string, rawInput: unknown): Promise<IntegrationView> {
    const input = parseInput(UpdateIntegrationInput, rawInput, 'integration update');
    const current = await this.requireIntegration(workspaceId, integrationId);
    const connector = this.requireConnector(current.provider);
    const mode = input.mode ?? current.mode;
    const storedCredentials = current.secretCiphertext === null ? null : decryptJson(this.box, current.secretCiphertext, workspaceId, integrationId);
    const credentials = input.credentials ?? storedCredentials;
    const config = await this.validateSettings(connector, mode, input.config ?? current.config, credentials);
    const updated = await this.deps.integrations.updateIntegration(workspaceId, integrationId, {
      mode,
      config,
      ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
      ...(input.disabledTools ? { disabledTools: input.disabledTools } : {}),
      ...(input.credentials
        ? { secretCiphertext: this.box.encrypt(JSON.stringify(input.credentials), bindSecret(workspaceId, integrationId)) }
        : {}),
    });
    if (!updated) throw new AppError('NOT_FOUND', `Integration ${integrationId} not found in workspace ${workspaceId}`);
    this.forgetConnection(workspaceId, current.provider);
    return toIntegrationView(updated);
  }

  async deleteIntegration(workspaceId: string, integrationId: string): Promise<void> {
    const current = await this.requireIntegration(workspaceId, integrationId);
    await this.deps.integrations.deleteIntegration(workspaceId, integrationId);
    this.forgetConnection(workspaceId, current.provider);
  }

  /** Installs every built-in connector in sandbox mode where the workspace has none yet (the demo workspace). */
  async installSandboxConnectors(workspaceId: string): Promise<IntegrationView[]> {
    const existing = new Set((await this.deps.integrations.listIntegrations(workspaceId)).map((record) => record.provider));
    for (const provider of connectorNames) {
      if (!existing.has(provider)) await this.createIntegration(workspaceId, { provider, mode: 'sandbox' });
    }
    return this.listIntegrations(workspaceId);
  }

  /** Connects with the stored settings, lists tools, and stores the outcome as the integration's status. */
  async testIntegration(workspaceId: string, integrationId: string): Promise<ConnectionTestResult> {
    const record = await this.requireIntegration(workspaceId, integrationId);
    const connector = this.requireConnector(record.provider);
    const outbound = this.outbound;
    const outcome = await this.probe(() => openBuiltInConnection({ connector, record, box: this.box, sandbox: this.deps.sandbox, outbound }));
    await this.deps.integrations.updateIntegration(workspaceId, integrationId, {
      status: outcome.ok ? 'ok' : 'error',
      lastError: outcome.error,
      lastCheckedAt: this.deps.clock.now(),
    });
    return outcome;
  }

  async listMcpServers(workspaceId: string): Promise<McpServerView[]> {
    const records = await this.deps.integrations.listMcpServers(workspaceId);
    return records.map((record) => this.toServerView(record));
  }

  async createMcpServer(workspaceId: string, rawInput: unknown): Promise<McpServerView> {
    const input = parseInput(CreateMcpServerInput, rawInput, 'MCP server');
    await assertSafeOutboundUrl(input.url, this.deps.outboundPolicy);
    const existing = await this.deps.integrations.listMcpServers(workspaceId);
    if (existing.some((record) => record.name === input.name)) {
      throw new AppError('CONFLICT', `Workspace ${workspaceId} already has an MCP server named ${input.name}`);
    }
    const id = this.deps.ids.next('mcpserver');
    const hasHeaders = Object.keys(input.headers).length > 0;
    const record = await this.deps.integrations.createMcpServer({
      id,
      workspaceId,
      name: input.name,
      url: input.url,
      headersCiphertext: hasHeaders ? this.box.encrypt(JSON.stringify(input.headers), bindSecret(workspaceId, id)) : null,
      enabled: input.enabled,
      disabledTools: [],
      timeoutMs: input.timeoutMs,
    });
    return this.toServerView(record);
  }

  async updateMcpServer(workspaceId: string, serverId: string, rawInput: unknown): Promise<McpServerView> {
    const input = parseInput(UpdateMcpServerInput, rawInput, 'MCP server update');
    const current = await this.requireServer(workspaceId, serverId);
    if (input.url) await assertSafeOutboundUrl(input.url, this.deps.outboundPolicy);
    const updated = await this.deps.integrations.updateMcpServer(workspaceId, serverId, {
      ...(input.url ? { url: input.url } : {}),
      ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
      ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
      ...(input.disabledTools ? { disabledTools: input.disabledTools } : {}),
      ...(input.headers
        ? { headersCiphertext: this.box.encrypt(JSON.stringify(input.headers), bindSecret(workspaceId, serverId)) }
        : {}),
    });
    if (!updated) throw new AppError('NOT_FOUND', `MCP server ${serverId} not found in workspace ${workspaceId}`);
    this.forgetConnection(workspaceId, current.name);
    return this.toServerView(updated);
  }

  async deleteMcpServer(workspaceId: string, serverId: string): Promise<void> {
    const current = await this.requireServer(workspaceId, serverId);
    await this.deps.integrations.deleteMcpServer(workspaceId, serverId);
    this.forgetConnection(workspaceId, current.name);
  }

  async testMcpServer(workspaceId: string, serverId: string): Promise<ConnectionTestResult> {
    const record = await this.requireServer(workspaceId, serverId);
    const outcome = await this.probe(() => openExternalConnection({ record, box: this.box, outbound: this.outbound }));
    await this.deps.integrations.updateMcpServer(workspaceId, serverId, {
      status: outcome.ok ? 'ok' : 'error',
      lastError: outcome.error,
      lastCheckedAt: this.deps.clock.now(),
    });
    return outcome;
  }

  /** Enables or disables one namespaced tool for the workspace. */
  async setToolEnabled(workspaceId: string, tool: string, enabled: boolean): Promise<void> {
    const index = tool.indexOf(toolNameSeparator);
    if (index <= 0) throw new AppError('BAD_REQUEST', `Tool name ${tool} is not of the form <server>__<tool>`);
    const namespace = tool.slice(0, index);
    const toolName = tool.slice(index + toolNameSeparator.length);
    const toggle = (list: string[]) => (enabled ? list.filter((name) => name !== toolName) : [...new Set([...list, toolName])]);
    const integration = (await this.deps.integrations.listIntegrations(workspaceId)).find((record) => record.provider === namespace);
    if (integration) {
      await this.deps.integrations.updateIntegration(workspaceId, integration.id, { disabledTools: toggle(integration.disabledTools) });
      return;
    }
    const server = (await this.deps.integrations.listMcpServers(workspaceId)).find((record) => record.name === namespace);
    if (!server) throw new AppError('NOT_FOUND', `No server ${namespace} in workspace ${workspaceId}`);
    await this.deps.integrations.updateMcpServer(workspaceId, server.id, { disabledTools: toggle(server.disabledTools) });
  }

  private async probe(open: () => Promise<{ tools: unknown[]; close(): Promise<void> }>): Promise<ConnectionTestResult> {
    try {
      const connection = await open();
      await connection.close();
      return { ok: true, toolCount: connection.tools.length, error: null };
    } catch (error) {
      return { ok: false, toolCount: 0, error: redactText(error instanceof Error ? error.message : String(error)) };
    }
  }

  private async validateSettings(
    connector: BuiltInConnector,
    mode: IntegrationMode,
    config: Record<string, unknown>,
    credentials: Record<string, unknown> | null,
  ): Promise<Record<string, unknown>> {
    if (mode === 'sandbox') return config;
    if (!credentials) throw new AppError('BAD_REQUEST', `A live ${connector.name} integration needs credentials`);
    parseInput(connector.credentialsSchema, credentials, `${connector.name} credentials`);
    const parsedConfig: Record<string, unknown> = parseInput(connector.configSchema, config, `${connector.name} config`);
    for (const url of connector.listOutboundUrls(parsedConfig)) await assertSafeOutboundUrl(url, this.deps.outboundPolicy);
    return parsedConfig;
  }

  private requireConnector(provider: string): BuiltInConnector {
    const connector = this.connectors.get(provider as ConnectorName);
    if (!connector) throw new AppError('BAD_REQUEST', `Unknown connector ${provider}`);
    return connector;
  }

  private async requireIntegration(workspaceId: string, integrationId: string): Promise<IntegrationRecord> {
    const record = await this.deps.integrations.findIntegration(workspaceId, integrationId);
    if (!record) throw new AppError('NOT_FOUND', `Integration ${integrationId} not found in workspace ${workspaceId}`);
    return record;
  }

  private async requireServer(workspaceId: string, serverId: string): Promise<McpServerRecord> {
    const record = await this.deps.integrations.findMcpServer(workspaceId, serverId);
    if (!record) throw new AppError('NOT_FOUND', `MCP server ${serverId} not found in workspace ${workspaceId}`);
    return record;
  }

  private toServerView(record: McpServerRecord): McpServerView {
    const { headersCiphertext, ...rest } = record;
    const headerNames = headersCiphertext ? Object.keys(decryptJson(this.box, headersCiphertext, record.workspaceId, record.id)) : [];
    return { ...rest, headerNames };
  }
}
