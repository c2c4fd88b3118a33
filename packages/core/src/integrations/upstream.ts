import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { AppError, isAppError } from '../errors';
import type { UpstreamConnection } from './connection-pool';
import type { BuiltInConnector } from './connectors/connector';
import type { IntegrationRecord, McpServerRecord } from './ports';
import { redactText } from './redact';
import type { SandboxDataPort } from './sandbox-port';
import { bindSecret, type SecretBox } from './secret-box';
import type { GuardedFetch } from './guarded-fetch';
import { assertSafeOutboundUrl, type OutboundUrlPolicy } from './ssrf-guard';

/** How upstream connections reach the network: the SSRF policy and the fetch that enforces it at connect time. */
export interface OutboundAccess {
  policy: OutboundUrlPolicy;
  fetch: GuardedFetch;
}

const clientInfo = { name: 'opspilot-gateway', version: '1.0.0' };

/** Every string value of a credentials object, so error texts can be scrubbed of them. */
export function collectSecretValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(collectSecretValues);
}

export function decryptJson(box: SecretBox, ciphertext: string | null, workspaceId: string, id: string): Record<string, unknown> {
  if (ciphertext === null) return {};
  const parsed: unknown = JSON.parse(box.decrypt(ciphertext, bindSecret(workspaceId, id)));
  return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

/**
 * Starts a built-in connector's MCP server in process and connects a client
 * to it over the SDK's in-memory transport: the same protocol path as an
 * external server, without a socket.
 */
export async function openBuiltInConnection(options: {
  connector: BuiltInConnector;
  record: IntegrationRecord;
  box: SecretBox;
  sandbox: SandboxDataPort;
  outbound: OutboundAccess;
}): Promise<UpstreamConnection> {
  const { connector, record } = options;
  const credentials = record.mode === 'live' ? decryptJson(options.box, record.secretCiphertext, record.workspaceId, record.id) : {};
  if (record.mode === 'live') {
    for (const url of connector.listOutboundUrls(record.config)) await assertSafeOutboundUrl(url, options.outbound.policy);
  }
  let server;
  try {
    server = connector.createServer({
      workspaceId: record.workspaceId,
      integrationId: record.id,
      mode: record.mode,
      credentials,
      config: record.config,
      sandbox: options.sandbox,
      fetch: options.outbound.fetch,
    });
  } catch (error) {
    // Usually missing or malformed credentials/config; name the integration, never the values.
    throw new AppError('PRECONDITION_FAILED', `Integration ${record.provider} (${record.id}) is not configured for ${record.mode} mode`, {
      cause: error,
    });
  }
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client(clientInfo);
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  const { tools } = await client.listTools();
  return {
    client,
    tools,
    listedAtMs: performance.now(),
    secrets: collectSecretValues(credentials),
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** Connects to an external MCP server over Streamable HTTP after the SSRF check. */
export async function openExternalConnection(options: {
  record: McpServerRecord;
  box: SecretBox;
  outbound: OutboundAccess;
}): Promise<UpstreamConnection> {
  const { record } = options;
  const url = await assertSafeOutboundUrl(record.url, options.outbound.policy);
  const headers = decryptJson(options.box, record.headersCiphertext, record.workspaceId, record.id) as Record<string, string>;
  const secrets = collectSecretValues(headers);
  const transport = new StreamableHTTPClientTransport(url, {
    // A redirect could point past the SSRF check, so none are followed.
    requestInit: { headers, redirect: 'error' },
    // Every socket is checked when it connects, on the address it dials: a name re-pointed at a private address later
    // (or a rebinding DNS answer between the check above and the connection) is refused there.
    fetch: options.outbound.fetch,
  });
  const client = new Client(clientInfo);
  try {
    await client.connect(transport, { timeout: record.timeoutMs });
    const { tools } = await client.listTools(undefined, { timeout: record.timeoutMs });
    return { client, tools, listedAtMs: performance.now(), secrets, close: () => client.close() };
  } catch (error) {
    await client.close().catch(() => undefined);
    if (isAppError(error)) throw error;
    const message = redactText(error instanceof Error ? error.message : String(error), secrets);
    throw new AppError('UNAVAILABLE', `MCP server ${record.name} at ${url.origin} is unavailable: ${message}`, { cause: error });
  }
}
