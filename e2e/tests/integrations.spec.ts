import { expect, test } from '@playwright/test';
import { readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

const connectors = ['stripe', 'supabase', 'slack', 'notion', 'linear'] as const;

test('the integrations page lists the five sandbox connectors and their tools with honest hints', async ({ page }) => {
  await signIn(page, readDemoCredentials());
  await page.goto('/integrations');
  await expect(page.getByRole('heading', { name: 'Integrations and tools' })).toBeVisible();

  for (const provider of connectors) {
    const connector = page.getByTestId(`connector-${provider}`);
    await expect(connector).toBeVisible();
    await expect(connector.getByTestId('connector-mode')).toHaveText('sandbox');
    await expect(page.getByTestId(`tool-group-${provider}`)).toBeVisible();
  }
  await expect(page.getByTestId('connector-list').locator(':scope > li')).toHaveCount(5);

  const readTool = page.getByTestId('tool-stripe__list_customers');
  await expect(readTool.getByTestId('badge-read-only')).toBeVisible();
  await expect(readTool.getByTestId('badge-needs-approval')).toHaveCount(0);
  await expect(page.getByTestId('tool-stripe__refund_payment').getByTestId('badge-needs-approval')).toBeVisible();
  await expect(page.getByRole('switch', { name: 'Enable slack__post_message' })).toBeChecked();

  // The demo user owns the workspace: the connection test runs and the live form never echoes a secret.
  const stripe = page.getByTestId('connector-stripe');
  await stripe.getByRole('button', { name: 'Test Stripe' }).click();
  await expect(stripe.getByTestId('test-result')).toHaveText(/Connected: \d+ tools found\./);
  await expect(stripe.getByTestId('connection-status')).toHaveText('connected');
  await stripe.getByRole('button', { name: 'Set up live mode…' }).click();
  const secret = stripe.getByLabel('Secret key');
  await expect(secret).toHaveAttribute('type', 'password');
  await expect(secret).toHaveValue('');
  await expect(stripe.getByRole('button', { name: 'Switch to live' })).toBeDisabled();
  await stripe.getByRole('button', { name: 'Cancel' }).click();
  await expect(stripe.getByTestId('live-form')).toHaveCount(0);
});

test('a tool call made through the API shows in the audit log; the outbox renders', async ({ page, request }) => {
  const credentials = readDemoCredentials();
  const response = await request.post(`/api/v1/workspaces/${credentials.workspaceId}/tools/call`, {
    headers: { authorization: `Bearer ${credentials.apiKey}` },
    data: { tool: 'stripe__list_customers', args: { limit: 3 } },
  });
  expect(response.status()).toBe(200);
  const call = (await response.json()) as { callId: string; isError: boolean };
  expect(call.isError).toBe(false);

  await signIn(page, credentials);
  await page.goto('/integrations');
  const row = page.getByTestId('audit-table').locator(`[data-call-id="${call.callId}"]`);
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute('data-tool', 'stripe__list_customers');
  await expect(row).toHaveAttribute('data-status', 'ok');
  await expect(row).toContainText('api_key');

  const outbox = page.getByTestId('outbox-section');
  await expect(outbox.getByTestId('outbox-empty').or(outbox.getByTestId('outbox-table'))).toBeVisible();
});

test('adding an MCP server at a metadata address is refused with the reason on screen', async ({ page }) => {
  await signIn(page, readDemoCredentials());
  await page.goto('/integrations');
  const form = page.getByRole('form', { name: 'Add an MCP server' });
  await form.getByLabel('Name', { exact: true }).fill('metadata');
  await form.getByLabel('URL (Streamable HTTP)').fill('http://169.254.169.254/mcp');
  await form.getByRole('button', { name: 'Add server' }).click();
  await expect(page.getByTestId('mcp-server-error')).toContainText('169.254.169.254');
  await expect(page.getByTestId('mcp-server-metadata')).toHaveCount(0);
});

test('a refusal from core keeps its status in the built app (403, not 500), over REST', async ({ request }) => {
  // The production bundle may hold two copies of core; the refusal must still be recognised as core's error.
  const credentials = readDemoCredentials();
  const response = await request.post(`/api/v1/workspaces/${credentials.workspaceId}/mcp-servers`, {
    headers: { authorization: `Bearer ${credentials.apiKey}` },
    data: { name: 'metadata-rest', url: 'http://169.254.169.254/mcp' },
  });
  expect(response.status()).toBe(403);
  expect(await response.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('169.254.169.254') });
});
