import { createHash, randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { e2eBaseUrl, readDemoCredentials } from './support/environment';

// Desktop MCP clients (RFC 8252) and the sign-up policy, on the production build.

test('the consent page names the app scheme a private-use redirect goes to', async ({ page, request }) => {
  const redirectUri = 'cursor://anysphere.cursor-retrieval/oauth/callback';
  const registration = await request.post('/oauth/register', { data: { client_name: 'Desk editor', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' } });
  expect(registration.status()).toBe(201);
  const { client_id: clientId } = (await registration.json()) as { client_id: string };
  const query = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, code_challenge_method: 'S256', state: 's', scope: 'read',
    code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'), resource: `${e2eBaseUrl}/mcp`,
  });
  const credentials = readDemoCredentials();
  await page.goto(`/oauth/authorize?${query.toString()}`);
  await expect(page).toHaveURL(/\/oauth\/consent\?/);
  await page.getByTestId('sign-in-email').fill(credentials.email);
  await page.getByTestId('sign-in-password').fill(credentials.password);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('consent-client')).toContainText('Desk editor wants to use OpsPilot');
  await expect(page.getByTestId('consent-scheme')).toHaveText('cursor:');
  await expect(page.getByTestId('consent-form')).toContainText(redirectUri);
});

test('javascript: and data: redirect URIs are refused at registration', async ({ request }) => {
  for (const uri of ['javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd']) {
    const response = await request.post('/oauth/register', { data: { redirect_uris: [uri], token_endpoint_auth_method: 'none' } });
    expect(response.status(), uri).toBe(400);
  }
});

test('the sign-in page states the sign-up policy, and sign-up over HTTP follows it', async ({ page, request }) => {
  await page.goto('/sign-in');
  const hint = page.getByTestId('sign-up-hint');
  await expect(hint).toBeVisible();
  const policy = await hint.getAttribute('data-policy');
  const email = `e2e-${randomBytes(4).toString('hex')}@example.com`;
  const response = await request.post('/api/auth/sign-up/email', { data: { email, password: 'a-long-enough-password-42', name: 'E2E' }, headers: { origin: e2eBaseUrl } });
  if (policy === 'invite-only') {
    await expect(hint).toContainText('by invitation');
    expect(response.status()).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe('SIGN_UP_INVITE_ONLY');
  } else {
    expect(policy).toBe('open');
    expect(response.status()).toBe(200);
  }
});
