import { checkRequestHost, readAllowedHosts, type AllowedHosts } from '../../mcp/allowed-hosts';
import type { Runtime } from '../../runtime';
import { createGuardedFetch } from '@opspilot/core/integrations';
import { readBoundedRequest } from '../../rate-limit';
import { createClientDirectory, type ClientDirectory } from './oauth-client-directory';
import { looksLikeClientIdUrl } from './oauth-client-metadata';
import {
  buildAuthorizationServerMetadata, buildProtectedResourceMetadata, mcpPath, oauthPaths, resolvePublicOrigin, type Environment,
} from './oauth-config';
import { oauthJson } from './oauth-errors';
import { handleRegistration, handleRevocation, handleToken } from './oauth-client-endpoints';
import { decideConsent, describeConsent, handleAuthorize } from './oauth-consent';

export interface OAuthHandlerOptions {
  runtime: Runtime;
  /**
   * FRONTEND_BASE_URL / BETTER_AUTH_URL (public origin), OPSPILOT_MCP_ENDPOINT_HOSTS (accepted hosts) and
   * OPSPILOT_OAUTH_CLIENT_METADATA_HOSTS (hosts whose client metadata documents may be fetched although private, over http too).
   */
  env: Environment;
  /** Client address, for the registration rate limit. */
  ip?: string;
}

type EndpointContext = { runtime: Runtime; origin: string; clients: ClientDirectory };
type Endpoint = { methods: string[]; cors: boolean; run(request: Request, context: EndpointContext): Promise<Response> | Response };

const metadataEndpoint = (build: (origin: string) => unknown): Endpoint => ({
  methods: ['GET'], cors: true, run: (_request, { origin }) => Response.json(build(origin), { headers: { 'cache-control': 'public, max-age=300' } }),
});

/** Every OAuth path this server answers. The consent request is the only cookie-authenticated one and gets no CORS. */
const endpoints: Record<string, Endpoint> = {
  [oauthPaths.authorizationServerMetadata]: metadataEndpoint(buildAuthorizationServerMetadata),
  [oauthPaths.protectedResourceMetadata]: metadataEndpoint(buildProtectedResourceMetadata),
  [`${oauthPaths.protectedResourceMetadata}${mcpPath}`]: metadataEndpoint(buildProtectedResourceMetadata),
  [oauthPaths.authorize]: { methods: ['GET'], cors: false, run: handleAuthorize },
  [oauthPaths.consentRequest]: { methods: ['GET', 'POST'], cors: false, run: (request, context) => (request.method === 'POST' ? decideConsent(request, context) : describeConsent(request, context)) },
  [oauthPaths.register]: { methods: ['POST'], cors: true, run: handleRegistration },
  [oauthPaths.token]: { methods: ['POST'], cors: true, run: handleToken },
  [oauthPaths.revoke]: { methods: ['POST'], cors: true, run: handleRevocation },
};

const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, mcp-protocol-version',
  'access-control-max-age': '600',
};

const allowedHostsByEnv = new WeakMap<object, AllowedHosts>();
function allowedHostsOf(env: Environment): AllowedHosts {
  let allowed = allowedHostsByEnv.get(env);
  if (!allowed) allowedHostsByEnv.set(env, (allowed = readAllowedHosts(env)));
  return allowed;
}

const clientDirectories = new WeakMap<Runtime, ClientDirectory>();
/**
 * One client directory (and its document cache and guarded fetch) per
 * runtime. Documents are fetched through the SSRF guard: private and
 * reserved addresses are refused unless listed in
 * OPSPILOT_OAUTH_CLIENT_METADATA_HOSTS (local development, tests).
 */
function clientDirectoryOf(runtime: Runtime, env: Environment): ClientDirectory {
  let directory = clientDirectories.get(runtime);
  if (!directory) {
    const insecureHosts = (env.OPSPILOT_OAUTH_CLIENT_METADATA_HOSTS ?? '').split(',').map((host) => host.trim()).filter(Boolean);
    directory = createClientDirectory({ fetchDocument: createGuardedFetch({ allowedHosts: insecureHosts }), insecureHosts });
    clientDirectories.set(runtime, directory);
  }
  return directory;
}

/** Registration is open (RFC 7591), so it is the one endpoint a stranger can make us write rows with: 20 a minute per address. */
async function limitRegistration(options: OAuthHandlerOptions): Promise<Response | null> {
  if (!options.ip || options.ip === 'unknown') return null;
  const decision = await options.runtime.rateLimiter.hit(`oauth-register:${options.ip}`, { limit: 20, windowMs: 60_000 });
  if (decision.allowed) return null;
  return oauthJson({ error: 'temporarily_unavailable', error_description: 'Too many registrations; try again later.' }, 429, { 'retry-after': String(decision.retryAfterSeconds) });
}

/**
 * An authorization with a URL client_id may make this server fetch that URL
 * (on a cache miss): 30 such requests a minute per client address, so the
 * endpoint cannot be used to send a stream of requests elsewhere.
 */
async function limitMetadataDocumentAuthorizations(options: OAuthHandlerOptions): Promise<Response | null> {
  if (!options.ip || options.ip === 'unknown') return null;
  const decision = await options.runtime.rateLimiter.hit(`oauth-client-metadata:${options.ip}`, { limit: 30, windowMs: 60_000 });
  if (decision.allowed) return null;
  return new Response('Too many authorization requests; try again later.', {
    status: 429, headers: { 'retry-after': String(decision.retryAfterSeconds), 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/**
 * OpsPilot's OAuth 2.1 authorization server for MCP hosts (see
 * docs/decisions/0010-mcp-oauth.md): metadata (RFC 8414, RFC 9728),
 * registration (RFC 7591), authorize + consent, token (PKCE S256, refresh
 * rotation), revocation (RFC 7009). The Host must be one the MCP endpoint
 * accepts, because issuer and resource URLs are built from it.
 */
export async function handleOAuthRequest(request: Request, options: OAuthHandlerOptions): Promise<Response> {
  // The web app reaches the well-known documents through a rewrite to /oauth/well-known/... (see next.config.ts).
  const path = new URL(request.url).pathname.replace(/\/+$/, '').replace(/^\/oauth\/well-known\//, '/.well-known/');
  const endpoint = endpoints[path];
  if (!endpoint) return oauthJson({ error: 'not_found' }, 404);
  const withCors = (response: Response) => {
    if (endpoint.cors) for (const [name, value] of Object.entries(corsHeaders)) response.headers.set(name, value);
    return response;
  };
  if (request.method === 'OPTIONS' && endpoint.cors) return withCors(new Response(null, { status: 204 }));
  // Only the Host matters here: token and metadata requests may come from browser-based clients of any origin.
  const refusal = checkRequestHost(new Headers({ host: request.headers.get('host') ?? '' }), allowedHostsOf(options.env));
  if (refusal) return oauthJson({ error: 'invalid_request', error_description: refusal }, 403);
  if (!endpoint.methods.includes(request.method)) return withCors(oauthJson({ error: 'invalid_request', error_description: 'Method not allowed.' }, 405, { allow: endpoint.methods.join(', ') }));
  if (path === oauthPaths.register) {
    const limited = await limitRegistration(options);
    if (limited) return withCors(limited);
  }
  if (path === oauthPaths.authorize && looksLikeClientIdUrl(new URL(request.url).searchParams.get('client_id') ?? '')) {
    const limited = await limitMetadataDocumentAuthorizations(options);
    if (limited) return limited;
  }
  const bounded = request.method === 'POST' ? await readBoundedRequest(request, 32_768) : request;
  if (bounded instanceof Response) return withCors(bounded);
  const origin = resolvePublicOrigin(request, options.env);
  return withCors(await endpoint.run(bounded, { runtime: options.runtime, origin, clients: clientDirectoryOf(options.runtime, options.env) }));
}
