import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { normalizeBaseUrl } from '@opspilot/core/apps';
import { authenticateOAuthAccessToken, looksLikeOAuthAccessToken, mcpResourceOf, oauthScopes, protectedResourceMetadataUrlOf, resolvePublicOrigin } from '../auth/oauth';
import { readBearerToken } from '../auth/tokens';
import { createContext, type Context } from '../context';
import { appRouter } from '../router';
import type { Runtime } from '../runtime';
import { checkRequestHost, readAllowedHosts, type AllowedHosts } from './allowed-hosts';
import { createOpsPilotMcpServer } from './server';
import type { WidgetSource } from './widget-source';

export interface McpHandlerOptions {
  runtime: Runtime;
  widgetSource: WidgetSource;
  /** FRONTEND_BASE_URL, APPS_WIDGET_BASE_URL, OPSPILOT_MCP_ENDPOINT_HOSTS. */
  env: Record<string, string | undefined>;
  /** Client address for rate limits. */
  ip?: string;
}

const jsonRpcError = (status: number, message: string, headers: Record<string, string> = {}) =>
  Response.json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }, { status, headers });

const allowedHostsByEnv = new WeakMap<object, AllowedHosts>();

function allowedHostsOf(env: Record<string, string | undefined>): AllowedHosts {
  let allowed = allowedHostsByEnv.get(env);
  if (!allowed) {
    allowed = readAllowedHosts(env);
    allowedHostsByEnv.set(env, allowed);
  }
  return allowed;
}

/**
 * Public base URL of the widget's assets: APPS_WIDGET_BASE_URL, else
 * FRONTEND_BASE_URL, else the origin the client addressed (its Host header,
 * already checked against the allowed hosts; Next rewrites `request.url`'s
 * host to localhost, so the URL alone would point a host at the wrong name).
 */
export function resolveWidgetBaseUrl(request: Request, env: Record<string, string | undefined>): string {
  const configured = env.APPS_WIDGET_BASE_URL ?? env.FRONTEND_BASE_URL;
  if (configured) return normalizeBaseUrl(configured);
  const url = new URL(request.url);
  const forwardedProtocol = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const protocol = forwardedProtocol === 'https' || forwardedProtocol === 'http' ? `${forwardedProtocol}:` : url.protocol;
  return normalizeBaseUrl(`${protocol}//${request.headers.get('host') ?? url.host}`);
}

/**
 * The request's context: an OAuth access token (`opa_...`) is resolved here,
 * against this endpoint as its resource, and only here (REST and tRPC never
 * accept one: its audience is /mcp); anything else goes through the shared
 * authenticator, which accepts API keys.
 */
async function createMcpContext(request: Request, options: McpHandlerOptions, origin: string): Promise<Context> {
  const authorization = request.headers.get('authorization');
  const headers = new Headers(authorization ? { authorization } : {});
  const ip = options.ip ?? 'unknown';
  const bearer = readBearerToken(headers);
  if (bearer && looksLikeOAuthAccessToken(bearer)) {
    const principal = await authenticateOAuthAccessToken(options.runtime, bearer, mcpResourceOf(origin));
    return { runtime: options.runtime, principal, ip, headers, responseHeaders: new Headers() };
  }
  return createContext({ runtime: options.runtime, headers, ip });
}

/** RFC 6750 + RFC 9728: where to find the authorization server, and the scopes to ask for. */
function unauthorized(origin: string, hadCredentials: boolean): Response {
  const error = hadCredentials ? ', error="invalid_token"' : '';
  const challenge = `Bearer realm="OpsPilot"${error}, resource_metadata="${protectedResourceMetadataUrlOf(origin)}", scope="${oauthScopes.join(' ')}"`;
  return jsonRpcError(401, 'Authorize with OAuth (see the resource metadata) or send a workspace API key: Authorization: Bearer opk_...', { 'www-authenticate': challenge });
}

/**
 * POST /mcp, Streamable HTTP in stateless mode: a new server and transport
 * per request (no session affinity, so any process can answer), JSON
 * responses. Order: Host/Origin check (403), method (405 for GET/DELETE:
 * no standalone SSE stream without sessions), then the bearer credential:
 * an OAuth access token for this resource or a workspace API key (401 with
 * WWW-Authenticate pointing at the protected resource metadata). Only the
 * Authorization header authenticates: console cookies are ignored so a
 * browser session cannot be ridden cross-site.
 */
export async function handleMcpRequest(request: Request, options: McpHandlerOptions): Promise<Response> {
  const refusal = checkRequestHost(request.headers, allowedHostsOf(options.env));
  if (refusal) return jsonRpcError(403, refusal);
  if (request.method !== 'POST') return jsonRpcError(405, 'Method not allowed: this endpoint is stateless, send JSON-RPC with POST.', { allow: 'POST' });
  const origin = resolvePublicOrigin(request, options.env);
  const context = await createMcpContext(request, options, origin);
  const principal = context.principal;
  if (principal?.kind !== 'apiKey') return unauthorized(origin, request.headers.has('authorization'));
  const widget = await options.widgetSource.load(resolveWidgetBaseUrl(request, options.env));
  const caller = appRouter.createCaller(context, { signal: request.signal });
  const server = createOpsPilotMcpServer(
    { runtime: options.runtime, caller, workspaceId: principal.workspaceId, apiKeyId: principal.apiKeyId, scopes: principal.scopes },
    widget,
    options.runtime.version,
  );
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    await server.close();
  }
}
