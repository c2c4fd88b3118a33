import { createHash, randomBytes } from 'node:crypto';

/** What an MCP host ends up with after the flow: its client id and a token pair. */
export interface ConnectedTestApp {
  clientId: string;
  accessToken: string;
  refreshToken: string;
  scope: string;
}

/**
 * Connects an application the way an MCP host and a person's browser do,
 * over real HTTP against `origin` (which serves /oauth/*): dynamic
 * registration, /oauth/authorize, the consent page's request and decision
 * (as the person behind `cookie`), and the code exchange with PKCE S256.
 */
export async function connectOAuthAppOverHttp(options: {
  origin: string;
  cookie: string;
  workspaceId: string;
  clientName: string;
  scope?: string;
}): Promise<ConnectedTestApp> {
  const { origin, cookie } = options;
  const redirectUri = 'http://127.0.0.1:9/callback';
  const registration = await fetch(`${origin}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: options.clientName, redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' }),
  });
  const { client_id: clientId } = (await expectOk(registration, 'registration')) as { client_id: string };
  const verifier = randomBytes(32).toString('base64url');
  const authorizeUrl = new URL(`${origin}/oauth/authorize`);
  const query = {
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, state: 'test-state', scope: options.scope ?? 'read write',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', resource: `${origin}/mcp`,
  };
  for (const [name, value] of Object.entries(query)) authorizeUrl.searchParams.set(name, value);
  const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
  const consentPage = new URL(authorize.headers.get('location') ?? '', origin);
  const decision = await fetch(`${origin}/oauth/consent/request`, {
    method: 'POST',
    headers: { cookie, origin, 'content-type': 'application/json' },
    body: JSON.stringify({ request: consentPage.search.slice(1), decision: 'approve', workspaceId: options.workspaceId, scopes: query.scope.split(' ') }),
  });
  const { redirectTo } = (await expectOk(decision, 'consent')) as { redirectTo: string };
  const code = new URL(redirectTo).searchParams.get('code') ?? '';
  const token = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: redirectUri, code_verifier: verifier, resource: `${origin}/mcp` }).toString(),
  });
  const tokens = (await expectOk(token, 'token exchange')) as { access_token: string; refresh_token: string; scope: string };
  return { clientId, accessToken: tokens.access_token, refreshToken: tokens.refresh_token, scope: tokens.scope };
}

async function expectOk(response: Response, step: string): Promise<unknown> {
  const body: unknown = await response.json();
  if (!response.ok) throw new Error(`OAuth ${step} failed with ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** `tools/list` on /mcp with this bearer token: the status tells whether the token still works. */
export async function postMcpToolsList(mcpUrl: string, accessToken: string): Promise<number> {
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  await response.arrayBuffer();
  return response.status;
}
