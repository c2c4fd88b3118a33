import type { ApiKeyScope, MemberRole } from '../../context';

/** The scopes an MCP host may ask for; `admin` is never grantable through OAuth (see decision 0010). */
export const oauthScopes = ['read', 'write'] as const;
export type OAuthScope = (typeof oauthScopes)[number];

export const scopeDescriptions: Record<OAuthScope, string> = {
  read: 'Read metrics, dashboards, incidents and workflows',
  write: 'Acknowledge incidents and propose workflow runs (a person still approves every run)',
};

export const oauthLifetimes = {
  authorizationCodeMs: 5 * 60_000,
  accessTokenMs: 60 * 60_000,
  refreshTokenMs: 30 * 24 * 60 * 60_000,
} as const;

/** Where the MCP endpoint lives under the public origin: the OAuth resource indicator (RFC 8707). */
export const mcpPath = '/mcp';
export const oauthPaths = {
  authorize: '/oauth/authorize',
  consent: '/oauth/consent',
  consentRequest: '/oauth/consent/request',
  token: '/oauth/token',
  register: '/oauth/register',
  revoke: '/oauth/revoke',
  authorizationServerMetadata: '/.well-known/oauth-authorization-server',
  protectedResourceMetadata: '/.well-known/oauth-protected-resource',
} as const;

/** The OAuth scopes a member of this role may grant: viewers read, members and above also write. */
export function grantableScopes(role: MemberRole): OAuthScope[] {
  return role === 'viewer' ? ['read'] : ['read', 'write'];
}

/**
 * The API-key scopes an OAuth grant acts with now: what was granted, cut
 * down to what the person's current role still allows. A demoted member's
 * write grant reads only; the scopes then feed `roleForScopes` like a key's.
 */
export function effectiveScopes(granted: readonly string[], role: MemberRole): ApiKeyScope[] {
  const allowed = new Set<string>(grantableScopes(role));
  return oauthScopes.filter((scope) => granted.includes(scope) && allowed.has(scope));
}

/** Parses a space-separated `scope` parameter, keeping only ours (unknown ones such as `openid` are ignored, RFC 6749 3.3). */
export function parseScopeParameter(value: string | null | undefined): OAuthScope[] {
  const requested = new Set((value ?? '').split(' ').filter(Boolean));
  return oauthScopes.filter((scope) => requested.has(scope));
}

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The public origin this server is reached at: FRONTEND_BASE_URL, else
 * BETTER_AUTH_URL, else the Host the client addressed (already checked
 * against the allowed hosts) with X-Forwarded-Proto. Issuer, endpoints and
 * the MCP resource are all derived from it.
 */
export function resolvePublicOrigin(request: Request, env: Environment): string {
  const configured = env.FRONTEND_BASE_URL ?? env.BETTER_AUTH_URL;
  if (configured) return new URL(configured).origin;
  const url = new URL(request.url);
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const protocol = forwarded === 'https' || forwarded === 'http' ? `${forwarded}:` : url.protocol;
  return new URL(`${protocol}//${request.headers.get('host') ?? url.host}`).origin;
}

export const mcpResourceOf = (origin: string): string => `${origin}${mcpPath}`;
export const protectedResourceMetadataUrlOf = (origin: string): string => `${origin}${oauthPaths.protectedResourceMetadata}${mcpPath}`;

/** RFC 8414 authorization server metadata. */
export function buildAuthorizationServerMetadata(origin: string) {
  return {
    issuer: origin,
    authorization_endpoint: `${origin}${oauthPaths.authorize}`,
    token_endpoint: `${origin}${oauthPaths.token}`,
    registration_endpoint: `${origin}${oauthPaths.register}`,
    revocation_endpoint: `${origin}${oauthPaths.revoke}`,
    scopes_supported: [...oauthScopes],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    // An https client_id naming its own metadata document (MCP 2025-11-25; see oauth-client-metadata.ts).
    client_id_metadata_document_supported: true,
  };
}

/** RFC 9728 protected resource metadata for the MCP endpoint. */
export function buildProtectedResourceMetadata(origin: string) {
  return {
    resource: mcpResourceOf(origin),
    authorization_servers: [origin],
    scopes_supported: [...oauthScopes],
    bearer_methods_supported: ['header'],
    resource_name: 'OpsPilot',
  };
}
