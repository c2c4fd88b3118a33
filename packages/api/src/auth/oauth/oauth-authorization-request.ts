import type { ClientLookup } from './oauth-client-directory';
import { mcpResourceOf, parseScopeParameter, type OAuthScope } from './oauth-config';
import type { OAuthErrorCode } from './oauth-errors';
import { challengePattern } from './oauth-secrets';
import { matchesRegisteredRedirectUri } from './oauth-redirect-uris';
import type { RegisteredClient } from './oauth-store';

export interface ValidAuthorizationRequest {
  kind: 'valid';
  client: RegisteredClient;
  redirectUri: string;
  state: string | null;
  scopes: OAuthScope[];
  codeChallenge: string;
  resource: string;
}

/** Errors we may send back to the client's redirect URI (it is registered, so it is safe to redirect to). */
export interface RedirectableError {
  kind: 'redirect-error';
  redirectUri: string;
  state: string | null;
  error: OAuthErrorCode;
  description: string;
}

/** Unknown client or unregistered redirect URI: RFC 6749 4.1.2.1 forbids redirecting; the person sees the message. */
export interface FatalError {
  kind: 'fatal';
  description: string;
}

export type AuthorizationRequestCheck = ValidAuthorizationRequest | RedirectableError | FatalError;

const maximumStateLength = 2_000;
const stripTrailingSlash = (value: string) => value.replace(/\/+$/, '');

/**
 * Validates an authorization request (query of GET /oauth/authorize, carried
 * unchanged to the consent page and back): a registered client (or a valid
 * Client ID Metadata Document) and a registered redirect URI first, then `response_type=code`, PKCE with S256 only, the
 * resource (RFC 8707; only this server's `/mcp`), and scopes (unknown ones
 * ignored; none at all means `read`). Run again on the decision, so the
 * consent page never has to be trusted with anything.
 */
export async function checkAuthorizationRequest(
  findClient: (clientId: string) => Promise<ClientLookup>,
  params: URLSearchParams,
  origin: string,
): Promise<AuthorizationRequestCheck> {
  const clientId = params.get('client_id');
  const lookup: ClientLookup = clientId ? await findClient(clientId) : { kind: 'unknown' };
  if (lookup.kind === 'refused') return { kind: 'fatal', description: `The application's metadata document cannot be used. ${lookup.description}` };
  if (lookup.kind === 'unknown') return { kind: 'fatal', description: 'Unknown client_id: the application is not registered with this OpsPilot.' };
  const { client } = lookup;
  const requestedRedirect = params.get('redirect_uri');
  const redirectUri = requestedRedirect ?? (client.redirectUris.length === 1 ? client.redirectUris[0]! : null);
  // Loopback redirects may name any port (RFC 8252 7.3); everything else must be registered exactly.
  if (!redirectUri || !matchesRegisteredRedirectUri(client.redirectUris, redirectUri)) {
    return { kind: 'fatal', description: 'redirect_uri is missing or not one of the URIs this application registered.' };
  }
  const state = params.get('state');
  const refuse = (error: OAuthErrorCode, description: string): RedirectableError => ({ kind: 'redirect-error', redirectUri, state, error, description });
  if (state !== null && state.length > maximumStateLength) return refuse('invalid_request', 'state is too long.');
  if (params.get('response_type') !== 'code') return refuse('unsupported_response_type', 'Only response_type=code is supported.');
  const codeChallenge = params.get('code_challenge');
  if (params.get('code_challenge_method') !== 'S256' || !codeChallenge || !challengePattern.test(codeChallenge)) {
    return refuse('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256.');
  }
  const expectedResource = mcpResourceOf(origin);
  const resources = params.getAll('resource');
  if (resources.length > 1 || (resources[0] !== undefined && stripTrailingSlash(resources[0]) !== expectedResource)) {
    return refuse('invalid_target', `This server issues tokens only for ${expectedResource}.`);
  }
  const parsed = parseScopeParameter(params.get('scope'));
  return { kind: 'valid', client, redirectUri, state, scopes: parsed.length > 0 ? parsed : ['read'], codeChallenge, resource: expectedResource };
}

/** The client's redirect URI with the response parameters, and `iss` (RFC 9207) against mix-up attacks. */
export function buildRedirect(redirectUri: string, parameters: Record<string, string | null>, issuer: string): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(parameters)) if (value !== null) url.searchParams.set(name, value);
  url.searchParams.set('iss', issuer);
  return url.toString();
}

export function buildErrorRedirect(check: RedirectableError, issuer: string): string {
  return buildRedirect(check.redirectUri, { error: check.error, error_description: check.description, state: check.state }, issuer);
}
