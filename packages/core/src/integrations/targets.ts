import type { BuiltInConnector, ConnectorName } from './connectors/connector';
import type { IntegrationRecord, IntegrationRepository, McpServerRecord } from './ports';

interface TargetBase {
  namespace: string;
  /** Pool key: one connection per (workspace, namespace). */
  key: string;
  /** Changes whenever the record changes, so a stale connection is replaced. */
  version: string;
  enabled: boolean;
  disabledTools: string[];
}

/** A server a workspace can call: a built-in connector integration or an external MCP server. */
export type UpstreamTarget =
  | (TargetBase & { kind: 'built_in'; record: IntegrationRecord; connector: BuiltInConnector; timeoutMs: number | null })
  | (TargetBase & { kind: 'external'; record: McpServerRecord; timeoutMs: number });

/**
 * Reads the workspace's registry. Everything is looked up by workspace id, so
 * a connection, and the credentials behind it, can only serve that workspace.
 */
export async function resolveTargets(
  repository: IntegrationRepository,
  connectors: ReadonlyMap<ConnectorName, BuiltInConnector>,
  workspaceId: string,
): Promise<UpstreamTarget[]> {
  const [integrations, servers] = await Promise.all([repository.listIntegrations(workspaceId), repository.listMcpServers(workspaceId)]);
  const targets: UpstreamTarget[] = [];
  for (const record of integrations) {
    const connector = connectors.get(record.provider as ConnectorName);
    if (!connector || record.workspaceId !== workspaceId) continue;
    targets.push({
      kind: 'built_in',
      namespace: connector.name,
      key: `${workspaceId}:${connector.name}`,
      version: `${record.id}:${record.updatedAt.toISOString()}`,
      enabled: record.enabled,
      disabledTools: record.disabledTools,
      record,
      connector,
      timeoutMs: null,
    });
  }
  for (const record of servers) {
    if (record.workspaceId !== workspaceId) continue;
    targets.push({
      kind: 'external',
      namespace: record.name,
      key: `${workspaceId}:${record.name}`,
      version: `${record.id}:${record.updatedAt.toISOString()}`,
      enabled: record.enabled,
      disabledTools: record.disabledTools,
      record,
      timeoutMs: record.timeoutMs,
    });
  }
  return targets;
}
