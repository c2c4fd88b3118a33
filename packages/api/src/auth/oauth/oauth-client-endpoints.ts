import { z } from 'zod';
import type { Runtime } from '../../runtime';
import { mcpResourceOf, parseScopeParameter } from './oauth-config';
import { OAuthProtocolError, oauthErrorResponse, oauthJson } from './oauth-errors';
import { defaultClientName, isAcceptableRedirectUri } from './oauth-redirect-uris';
import { matchesHash } from './oauth-secrets';
import { exchangeAuthorizationCode, findOAuthClient, refreshOAuthTokens, registerOAuthClient, revokeOAuthToken, type IssuedTokens, type RegisteredClient } from './oauth-store';

export interface ClientEndpointContext {
  runtime: Runtime;
  origin: string;
}

export const ClientRegistrationInput = z.object({
  redirect_uris: z.array(z.string().max(2_000)).min(1).max(10),
  client_name: z.string().trim().min(1).max(200).optional(),
  token_endpoint_auth_method: z.enum(['none', 'client_secret_post', 'client_secret_basic']).optional(),
  grant_types: z.array(z.string().max(100)).max(10).optional(),
  response_types: z.array(z.string().max(100)).max(10).optional(),
  scope: z.string().max(1_000).optional(),
});
export type ClientRegistrationInput = z.infer<typeof ClientRegistrationInput>;

const supportedGrantTypes = ['authorization_code', 'refresh_token'];

/** POST /oauth/register: open dynamic client registration (RFC 7591), as MCP hosts such as ChatGPT expect. */
export async function handleRegistration(request: Request, context: ClientEndpointContext): Promise<Response> {
  const parsed = ClientRegistrationInput.safeParse(await request.json().catch(() => null));
  const refuse = (code: 'invalid_client_metadata' | 'invalid_redirect_uri', message: string) => oauthErrorResponse(new OAuthProtocolError(code, message));
  if (!parsed.success) return refuse('invalid_client_metadata', 'Send client metadata as JSON with redirect_uris.');
  const metadata = parsed.data;
  if (!metadata.redirect_uris.every(isAcceptableRedirectUri)) return refuse('invalid_redirect_uri', 'Redirect URIs must be https, http on loopback (127.0.0.1, [::1], localhost) or an app\'s own scheme (cursor://..., com.example.app:/...), without a fragment; javascript:, data:, file: and other browser or system schemes are refused.');
  const grantTypes = metadata.grant_types ?? ['authorization_code', 'refresh_token'];
  if (!grantTypes.every((type) => supportedGrantTypes.includes(type)) || !grantTypes.includes('authorization_code')) {
    return refuse('invalid_client_metadata', 'grant_types may only be authorization_code and refresh_token.');
  }
  if (metadata.response_types && metadata.response_types.some((type) => type !== 'code')) return refuse('invalid_client_metadata', 'response_types may only be code.');
  // RFC 7591's default is client_secret_basic; MCP hosts normally ask for a public client ("none").
  const tokenEndpointAuthMethod = metadata.token_endpoint_auth_method ?? 'client_secret_basic';
  const name = metadata.client_name ?? defaultClientName(metadata.redirect_uris[0]!);
  const registered = await registerOAuthClient(context.runtime.db, { name, redirectUris: metadata.redirect_uris, tokenEndpointAuthMethod });
  return oauthJson({
    client_id: registered.clientId,
    client_id_issued_at: Math.floor(registered.createdAt.getTime() / 1000),
    ...(registered.clientSecret ? { client_secret: registered.clientSecret, client_secret_expires_at: 0 } : {}),
    client_name: name,
    redirect_uris: metadata.redirect_uris,
    grant_types: grantTypes,
    response_types: ['code'],
    token_endpoint_auth_method: tokenEndpointAuthMethod,
    ...(metadata.scope ? { scope: parseScopeParameter(metadata.scope).join(' ') } : {}),
  }, 201);
}

function readBasicCredentials(headers: Headers): { clientId: string; secret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(headers.get('authorization') ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return null;
  // RFC 6749 2.3.1: both parts are form-urlencoded before Basic encoding.
  try {
    return { clientId: decodeURIComponent(decoded.slice(0, separator)), secret: decodeURIComponent(decoded.slice(separator + 1)) };
  } catch {
    return null;
  }
}

/** Client authentication (RFC 6749 2.3): Basic or form secret for confidential clients, client_id alone for public ones. */
async function authenticateClient(runtime: Runtime, headers: Headers, form: URLSearchParams): Promise<RegisteredClient> {
  const basic = readBasicCredentials(headers);
  const clientId = basic?.clientId ?? form.get('client_id');
  const secret = basic?.secret ?? form.get('client_secret');
  const failed = new OAuthProtocolError('invalid_client', 'Client authentication failed.');
  if (!clientId) throw failed;
  const client = await findOAuthClient(runtime.db, clientId);
  if (!client) throw failed;
  if (client.secretHash === null) return client;
  if (!secret || !matchesHash(secret, client.secretHash)) throw failed;
  return client;
}

async function readForm(request: Request): Promise<URLSearchParams> {
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthProtocolError('invalid_request', 'Send the request as application/x-www-form-urlencoded.');
  }
  return new URLSearchParams(await request.text());
}

function tokenResponse(tokens: IssuedTokens): Response {
  return oauthJson({ access_token: tokens.accessToken, token_type: 'Bearer', expires_in: tokens.expiresInSeconds, refresh_token: tokens.refreshToken, scope: tokens.scopes.join(' ') });
}

function readResource(form: URLSearchParams, origin: string): string | null {
  const resource = form.get('resource');
  if (resource === null) return null;
  const normalized = resource.replace(/\/+$/, '');
  if (normalized !== mcpResourceOf(origin)) throw new OAuthProtocolError('invalid_target', `This server issues tokens only for ${mcpResourceOf(origin)}.`);
  return normalized;
}

/** POST /oauth/token: authorization_code (with PKCE) and refresh_token grants. */
export async function handleToken(request: Request, context: ClientEndpointContext): Promise<Response> {
  try {
    const form = await readForm(request);
    const client = await authenticateClient(context.runtime, request.headers, form);
    const now = context.runtime.clock.now();
    const resource = readResource(form, context.origin);
    switch (form.get('grant_type')) {
      case 'authorization_code': {
        const code = form.get('code');
        const codeVerifier = form.get('code_verifier');
        if (!code || !codeVerifier) throw new OAuthProtocolError('invalid_request', 'code and code_verifier are required.');
        return tokenResponse(await exchangeAuthorizationCode(context.runtime.db, { code, clientId: client.clientId, redirectUri: form.get('redirect_uri'), codeVerifier, resource, now }));
      }
      case 'refresh_token': {
        const refreshToken = form.get('refresh_token');
        if (!refreshToken) throw new OAuthProtocolError('invalid_request', 'refresh_token is required.');
        const scope = form.get('scope');
        const scopes = scope === null ? null : scope.split(' ').filter(Boolean);
        return tokenResponse(await refreshOAuthTokens(context.runtime.db, { refreshToken, clientId: client.clientId, scopes, resource, now }));
      }
      case null:
        throw new OAuthProtocolError('invalid_request', 'grant_type is required.');
      default:
        throw new OAuthProtocolError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
    }
  } catch (error) {
    if (error instanceof OAuthProtocolError) return oauthErrorResponse(error);
    throw error;
  }
}

/** POST /oauth/revoke (RFC 7009): 200 for revoked and unknown tokens alike. */
export async function handleRevocation(request: Request, context: ClientEndpointContext): Promise<Response> {
  try {
    const form = await readForm(request);
    const client = await authenticateClient(context.runtime, request.headers, form);
    const token = form.get('token');
    if (!token) throw new OAuthProtocolError('invalid_request', 'token is required.');
    await revokeOAuthToken(context.runtime.db, { token, clientId: client.clientId, now: context.runtime.clock.now() });
    return new Response(null, { status: 200, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    if (error instanceof OAuthProtocolError) return oauthErrorResponse(error);
    throw error;
  }
}
