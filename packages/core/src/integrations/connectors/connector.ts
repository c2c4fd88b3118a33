import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { IntegrationMode } from '../ports';
import type { SandboxDataPort } from '../sandbox-port';
import type { GuardedFetch } from '../guarded-fetch';

/** `_meta` key through which the gateway hands a call's idempotency key to a tool. */
export const idempotencyKeyMeta = 'opspilot/idempotencyKey';

export interface ToolRunContext {
  idempotencyKey: string | null;
  signal: AbortSignal;
}

/** One tool of a built-in connector, generic over the connector's backend. */
export interface ConnectorTool<Backend> {
  name: string;
  title: string;
  description: string;
  inputSchema: z.ZodObject;
  outputSchema: z.ZodObject;
  annotations: ToolAnnotations;
  run(backend: Backend, input: unknown, context: ToolRunContext): Promise<Record<string, unknown>>;
}

/** Typed helper: `run` sees the parsed input type and must return the output type. */
export function defineTool<Backend, Input extends z.ZodObject, Output extends z.ZodObject>(spec: {
  name: string;
  title: string;
  description: string;
  inputSchema: Input;
  outputSchema: Output;
  annotations: ToolAnnotations;
  run(backend: Backend, input: z.infer<Input>, context: ToolRunContext): Promise<z.infer<Output>>;
}): ConnectorTool<Backend> {
  return {
    ...spec,
    run: (backend, input, context) => spec.run(backend, input as z.infer<Input>, context),
  };
}

/** Annotation presets, stated once so every tool's hints stay honest. */
export const readOnlyVendorTool: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

export const additiveVendorWrite: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
};

/**
 * Builds a real MCP server exposing the tools over one backend. The SDK
 * validates input against `inputSchema` and the result against `outputSchema`.
 */
export function createConnectorServer<Backend>(options: {
  name: string;
  version: string;
  tools: readonly ConnectorTool<Backend>[];
  backend: Backend;
}): McpServer {
  const server = new McpServer({ name: options.name, version: options.version });
  for (const tool of options.tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: tool.annotations,
      },
      async (input: unknown, extra) => {
        const key = extra._meta?.[idempotencyKeyMeta];
        const output = await tool.run(options.backend, input, {
          idempotencyKey: typeof key === 'string' && key !== '' ? key : null,
          signal: extra.signal,
        });
        return { content: [{ type: 'text', text: JSON.stringify(output) }], structuredContent: output };
      },
    );
  }
  return server;
}

/** What the gateway needs to build a connector's server for one workspace integration. */
export interface ConnectorBuildOptions {
  workspaceId: string;
  integrationId: string;
  mode: IntegrationMode;
  /** Decrypted credentials (live mode only); validated against `credentialsSchema`. */
  credentials: unknown;
  config: Record<string, unknown>;
  sandbox: SandboxDataPort;
  /** The gateway's guarded fetch (SSRF check at connect time); live backends whose SDK accepts a fetch use it. */
  fetch?: GuardedFetch;
}

/** A built-in connector with its type erased, as the gateway's registry holds it. */
export interface BuiltInConnector {
  name: ConnectorName;
  title: string;
  /** zod schema of the secret a live integration needs. */
  credentialsSchema: z.ZodObject;
  /** zod schema of the non-secret settings (base URL, defaults). */
  configSchema: z.ZodObject;
  toolNames: readonly string[];
  /** Outbound URLs this config makes the live backend call (checked by the SSRF guard). */
  listOutboundUrls(config: Record<string, unknown>): string[];
  createServer(options: ConnectorBuildOptions): McpServer;
}

export const connectorNames = ['stripe', 'supabase', 'slack', 'notion', 'linear'] as const;
export type ConnectorName = (typeof connectorNames)[number];

/** Default result limits shared by list tools. */
export const maxListLimit = 100;

export function toIso(value: Date | number | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A stored value as text: strings pass, anything else gives the fallback. */
export function readString(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}
