import { createHash, randomBytes } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { e2eBaseUrl, readDemoCredentials } from './support/environment';

// An MCP host (ChatGPT) connecting over OAuth: discovery through the real /.well-known URLs (rewritten by Next),
// registration, the console's consent page (sign-in, workspace, permissions), then the token and a tool call.
const callback = 'http://127.0.0.1:9/connector_oauth_redirect';

async function registerClient(request: APIRequestContext): Promise<string> {
  const response = await request.post('/oauth/register', { data: { client_name: 'E2E host', redirect_uris: [callback], token_endpoint_auth_method: 'none' } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { client_id: string }).client_id;
}

function authorizationUrl(clientId: string, challenge: string, state: string): string {
  const query = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: callback, code_challenge: challenge, code_challenge_method: 'S256',
    state, scope: 'read write', resource: `${e2eBaseUrl}/mcp`,
  });
  return `/oauth/authorize?${query.toString()}`;
}

test('discovery documents are served at the well-known URLs', async ({ request }) => {
  const resource = await request.get('/.well-known/oauth-protected-resource/mcp');
  expect(resource.status()).toBe(200);
  expect(await resource.json()).toMatchObject({ resource: `${e2eBaseUrl}/mcp`, authorization_servers: [e2eBaseUrl] });
  const server = await request.get('/.well-known/oauth-authorization-server');
  expect(await server.json()).toMatchObject({ issuer: e2eBaseUrl, code_challenge_methods_supported: ['S256'], registration_endpoint: `${e2eBaseUrl}/oauth/register` });
  const unauthorized = await request.post('/mcp', { data: { jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers: { accept: 'application/json, text/event-stream' } });
  expect(unauthorized.status()).toBe(401);
  expect(unauthorized.headers()['www-authenticate']).toContain(`resource_metadata="${e2eBaseUrl}/.well-known/oauth-protected-resource/mcp"`);
});

test('a person signs in on the consent page, picks the workspace and permissions, and the host gets a working token', async ({ page, request }) => {
  const credentials = readDemoCredentials();
  const clientId = await registerClient(request);
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  await page.route(`${callback}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p>back at the host</p>' }));

  await page.goto(authorizationUrl(clientId, challenge, 'e2e-state'));
  await expect(page).toHaveURL(/\/oauth\/consent\?/);
  await page.getByTestId('sign-in-email').fill(credentials.email);
  await page.getByTestId('sign-in-password').fill(credentials.password);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('consent-client')).toContainText('E2E host wants to use OpsPilot');
  await page.getByTestId('consent-workspace').selectOption(credentials.workspaceId);
  await expect(page.getByTestId('consent-scope-write')).toBeChecked();
  await page.getByTestId('consent-scope-write').uncheck();
  await page.getByTestId('consent-approve').click();
  await page.waitForURL(`${callback}**`);
  const returned = new URL(page.url());
  expect(returned.searchParams.get('state')).toBe('e2e-state');
  expect(returned.searchParams.get('iss')).toBe(e2eBaseUrl);

  const token = await request.post('/oauth/token', {
    form: { grant_type: 'authorization_code', code: returned.searchParams.get('code')!, client_id: clientId, redirect_uri: callback, code_verifier: verifier },
  });
  expect(token.status()).toBe(200);
  const tokens = (await token.json()) as { access_token: string; scope: string };
  expect(tokens.scope).toBe('read');
  const overview = await request.post('/mcp', {
    headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'application/json, text/event-stream' },
    data: { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'workspace_overview', arguments: {} } },
  });
  expect(overview.status()).toBe(200);
  const result = ((await overview.json()) as { result: { isError?: boolean; structuredContent: { mrrCents: number } } }).result;
  expect(result.isError ?? false).toBe(false);
  expect(result.structuredContent.mrrCents).toBeGreaterThan(0);

  // Signed in now: a second request goes straight to the choice, and Deny sends the host an access_denied error.
  await page.goto(authorizationUrl(clientId, challenge, 'second'));
  await page.getByTestId('consent-deny').click();
  await page.waitForURL(`${callback}**`);
  expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
});
