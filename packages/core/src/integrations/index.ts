/**
 * @opspilot/core/integrations: the MCP gateway, the built-in connectors
 * (Stripe, Supabase, Slack, Notion, Linear) and their ports.
 */
export { McpGateway, parseToolName } from './mcp-gateway';
export {
  CreateIntegrationInput,
  UpdateIntegrationInput,
  CreateMcpServerInput,
  UpdateMcpServerInput,
  toolNameSeparator,
} from './gateway-types';
export type {
  McpGatewayDeps,
  GatewayTool,
  ListToolsResult,
  CallToolRequest,
  ToolCallResult,
  IntegrationView,
  McpServerView,
  ConnectionTestResult,
} from './gateway-types';
export type {
  IntegrationMode,
  IntegrationRecord,
  McpServerRecord,
  CreateIntegrationRecord,
  IntegrationPatch,
  CreateMcpServerRecord,
  McpServerPatch,
  IntegrationRepository,
  ToolCallStatus,
  ToolCallActor,
  ToolCallAuditEntry,
  ToolCallAuditRow,
  ListToolCallsQuery,
  ToolCallAuditPort,
  IdempotencyKeyRef,
  ReserveIdempotencyKeyInput,
  IdempotencyReservation,
} from './ports';
export { sandboxTables } from './sandbox-port';
export type {
  SandboxDataPort,
  SandboxCustomer,
  SandboxInvoice,
  SandboxSubscription,
  SandboxTable,
  SandboxTableQuery,
  TableFilter,
  FilterOperator,
  OutboxEntry,
  WriteOutboxInput,
} from './sandbox-port';
export { createSecretBox, bindSecret } from './secret-box';
export type { SecretBox } from './secret-box';
export { redact, redactText, redactedMarker } from './redact';
export { assertSafeOutboundUrl, isBlockedAddress } from './ssrf-guard';
export { createGuardedFetch, createGuardedLookup } from './guarded-fetch';
export type { GuardedFetch, GuardedLookup } from './guarded-fetch';
export type { OutboundUrlPolicy, ResolveHost } from './ssrf-guard';
export { createTokenBucketRateLimiter, defaultGatewayRateLimit, rateLimitedError } from './rate-limiter';
export type { RateLimiter, InProcessRateLimiter, TokenBucketOptions, RateLimitRule } from './rate-limiter';
export { hashArguments, toCanonicalJson } from './canonical-json';
export { createGatewayActionInvoker } from './action-invoker';
export type { GatewayActionRequest, ToolCaller } from './action-invoker';
export { createBuiltInConnectors, connectorNames, idempotencyKeyMeta, createConnectorServer, defineTool } from './connectors';
export type { BuiltInConnector, ConnectorName, ConnectorTool, ToolRunContext, ConnectorBuildOptions } from './connectors';
