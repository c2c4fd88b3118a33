import { createHash, randomBytes } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { e2eBaseUrl, readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

// A person connects an MCP host through the real OAuth flow, finds it under Settings → Connected apps,
// revokes it there (with a confirm step), and the host's token stops working at once.
const callback = 'http://127.0.0.1:9/connected_apps_callback';
const appName = 'E2E connected host';

const callMcp = (request: APIRequestContext, accessToken: string) =>
  request.post('/mcp', {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json, text/event-stream' },
    data: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} },
  });

test('a connected app is listed in Settings, revoked there, and then gets 401 on /mcp', async ({ page }) => {
  const credentials = readDemoCredentials();
  await signIn(page, credentials);
  const request = page.request;
  // Other journeys may have connected apps to the demo workspace: start from none (a signed-in person may revoke over REST).
  const listPath = `/api/v1/workspaces/${credentials.workspaceId}/oauth-apps`;
  const existing = await request.get(listPath);
  expect(existing.status()).toBe(200);
  for (const app of ((await existing.json()) as { items: { grantId: string }[] }).items) {
    expect((await request.delete(`${listPath}/${app.grantId}`, { headers: { origin: e2eBaseUrl } })).status()).toBe(200);
  }

  const registered = await request.post('/oauth/register', { data: { client_name: appName, redirect_uris: [callback], token_endpoint_auth_method: 'none' } });
  expect(registered.status()).toBe(201);
  const clientId = ((await registered.json()) as { client_id: string }).client_id;
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: callback, code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256', state: 'connected-apps', scope: 'read write', resource: `${e2eBaseUrl}/mcp`,
  });
  await page.route(`${callback}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p>back at the host</p>' }));
  await page.goto(`/oauth/authorize?${query.toString()}`);
  await expect(page.getByTestId('consent-client')).toContainText(`${appName} wants to use OpsPilot`);
  await page.getByTestId('consent-workspace').selectOption(credentials.workspaceId);
  await page.getByTestId('consent-approve').click();
  await page.waitForURL(`${callback}**`);
  const code = new URL(page.url()).searchParams.get('code') ?? '';
  const token = await request.post('/oauth/token', { form: { grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: callback, code_verifier: verifier } });
  expect(token.status()).toBe(200);
  const accessToken = ((await token.json()) as { access_token: string }).access_token;
  expect((await callMcp(request, accessToken)).status()).toBe(200);

  await page.goto('/settings');
  const row = page.getByTestId('connected-apps').getByRole('row', { name: new RegExp(appName) });
  await expect(row).toContainText('read, write');
  await expect(row.getByRole('cell').nth(4)).not.toHaveText('never');
  await row.getByRole('button', { name: `Revoke ${appName}` }).click();
  await page.getByRole('group', { name: `Confirm revoking ${appName}` }).getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(page.getByTestId('connected-apps-empty')).toContainText('No apps connected yet.');
  await expect(page.getByTestId('connected-apps-empty')).toContainText('Connect ChatGPT');
  expect((await callMcp(request, accessToken)).status()).toBe(401);
});
