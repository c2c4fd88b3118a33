import { expect, test } from '@playwright/test';
import { readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

test('health reports ok with the embedded database', async ({ request }) => {
  const response = await request.get('/health');
  expect(response.status()).toBe(200);
  const health = (await response.json()) as { status: string; database: { mode: string }; migrations: { total: number } };
  expect(health.status).toBe('ok');
  expect(health.database.mode).toBe('embedded');
  expect(health.migrations.total).toBeGreaterThan(0);
});

test('a signed-out visitor is sent to sign in', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('signed-out')).toBeVisible();
});

test('the first page shows the demo workspace with live numbers', async ({ page, request }) => {
  const credentials = readDemoCredentials();
  const expected = await request.get(`/api/trpc/workspace.overview?input=${encodeURIComponent(JSON.stringify({ workspaceId: credentials.workspaceId }))}`, {
    headers: { authorization: `Bearer ${credentials.apiKey}` },
  });
  expect(expected.status()).toBe(200);
  const overview = ((await expected.json()) as { result: { data: { payingCustomers: number; mrrCents: number } } }).result.data;
  expect(overview.payingCustomers).toBeGreaterThan(0);

  await signIn(page, credentials);
  await page.goto('/');
  await expect(page.getByTestId('workspace-name')).not.toBeEmpty();
  await expect(page.getByTestId('kpi-paying')).toHaveText(new Intl.NumberFormat('en-US').format(overview.payingCustomers));
  const mrr = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(overview.mrrCents / 100);
  await expect(page.getByTestId('kpi-mrr')).toHaveText(mrr);
});
