import { z } from 'zod';
import type { Clock, IdGenerator, Logger } from '../ports';
import { connectorNames } from './connectors/connector';
import type { IntegrationMode, IntegrationRecord, IntegrationRepository, McpServerRecord, ToolCallActor, ToolCallAuditPort } from './ports';
import type { RateLimiter } from './rate-limiter';
import type { SandboxDataPort } from './sandbox-port';
import type { OutboundUrlPolicy } from './ssrf-guard';

/** Separator between a server's namespace and its tool name: `stripe__refund_payment`. */
export const toolNameSeparator = '__';

export interface McpGatewayDeps {
  integrations: IntegrationRepository;
  audit: ToolCallAuditPort;
  sandbox: SandboxDataPort;
  /** 32 bytes; the api layer reads OPSPILOT_SECRET_KEY or `loadOrCreateSecretKey(dataDir)`. */
  secretKey: Uint8Array;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Per-workspace limiter; defaults to a token bucket of 60 calls burst, 10 per second. */
  rateLimiter?: RateLimiter;
  /** SSRF policy for external servers and live base URLs; tests allow 127.0.0.1 here. */
  outboundPolicy?: OutboundUrlPolicy;
  /** Per-call timeout when neither the call nor the server sets one. */
  defaultTimeoutMs?: number;
  /** How long a server's tool list is reused before it is listed again. */
  toolListTtlMs?: number;
  /** Connected clients kept per process (least recently used are closed). */
  maxConnections?: number;
}

/** One tool as the gateway exposes it: namespaced, with the upstream's schemas and hints. */
export interface GatewayTool {
  /** `<namespace>__<tool>`, e.g. `stripe__list_failed_invoices`. */
  name: string;
  namespace: string;
  toolName: string;
  source: 'built_in' | 'external';
  /** Built-in connectors only. */
  mode: IntegrationMode | null;
  title: string | null;
  description: string | null;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown> | null;
  annotations: {
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
  enabled: boolean;
}

export interface ListToolsResult {
  /** Enabled tools only, unless `includeDisabled` was asked for. */
  tools: GatewayTool[];
  /** Servers that could not be listed right now; their tools are missing from `tools`. */
  unavailable: { namespace: string; error: string }[];
}

export interface CallToolRequest {
  workspaceId: string;
  actor: ToolCallActor;
  /** Namespaced tool name. */
  tool: string;
  args: Record<string, unknown>;
  /** A repeated write with the same key returns the first result instead of acting again. */
  idempotencyKey?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * A tool's answer. It is data from an outside system: callers show it or
 * feed it to a model as data, never follow instructions found inside it.
 */
export interface ToolCallResult {
  tool: string;
  isError: boolean;
  /** The tool's typed output (validated against its output schema for built-ins). */
  structuredContent: Record<string, unknown> | null;
  /** Text blocks of the answer, redacted of known secrets. */
  text: string[];
  /** True when an earlier call with the same idempotency key answered. */
  deduplicated: boolean;
  latencyMs: number;
  callId: string;
}

const namespacePattern = /^[a-z][a-z0-9-]{0,39}$/;

export const CreateIntegrationInput = z.object({
  provider: z.enum(connectorNames),
  mode: z.enum(['live', 'sandbox']).default('sandbox'),
  /** Secret values (e.g. `{ secretKey }` for Stripe). Write-only: never returned. */
  credentials: z.record(z.string(), z.unknown()).optional(),
  config: z.record(z.string(), z.unknown()).default({}),
  enabled: z.boolean().default(true),
});
export type CreateIntegrationInput = z.infer<typeof CreateIntegrationInput>;

export const UpdateIntegrationInput = z.object({
  mode: z.enum(['live', 'sandbox']).optional(),
  credentials: z.record(z.string(), z.unknown()).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  enabled: z.boolean().optional(),
  disabledTools: z.array(z.string()).optional(),
});
export type UpdateIntegrationInput = z.infer<typeof UpdateIntegrationInput>;

export const CreateMcpServerInput = z.object({
  name: z
    .string()
    .regex(namespacePattern, 'lower-case letters, digits and dashes, starting with a letter')
    .refine((name) => !(connectorNames as readonly string[]).includes(name), 'reserved for a built-in connector'),
  url: z.url(),
  /** Extra request headers (e.g. Authorization). Write-only: only their names are returned. */
  headers: z.record(z.string(), z.string()).default({}),
  timeoutMs: z.number().int().min(100).max(120_000).default(30_000),
  enabled: z.boolean().default(true),
});
export type CreateMcpServerInput = z.infer<typeof CreateMcpServerInput>;

export const UpdateMcpServerInput = z.object({
  url: z.url().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
  enabled: z.boolean().optional(),
  disabledTools: z.array(z.string()).optional(),
});
export type UpdateMcpServerInput = z.infer<typeof UpdateMcpServerInput>;

/** An integration as every API returns it: no secret, only whether one is stored. */
export type IntegrationView = Omit<IntegrationRecord, 'secretCiphertext'> & { hasCredentials: boolean };

/** An external MCP server as every API returns it: header names, never values. */
export type McpServerView = Omit<McpServerRecord, 'headersCiphertext'> & { headerNames: string[] };

export interface ConnectionTestResult {
  ok: boolean;
  toolCount: number;
  error: string | null;
}
