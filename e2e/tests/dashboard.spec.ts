import { expect, test, type Page } from '@playwright/test';
import { readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

async function currentVersion(page: Page): Promise<number> {
  const text = (await page.getByTestId('layout-version').textContent()) ?? '';
  return Number(text.replace(/\D/g, ''));
}

test('the dashboard shows the demo KPIs and panels from the generated spec, incidents first', async ({ page, request }) => {
  const credentials = readDemoCredentials();
  const response = await request.get(`/api/v1/workspaces/${credentials.workspaceId}/overview`, { headers: { authorization: `Bearer ${credentials.apiKey}` } });
  expect(response.status()).toBe(200);
  const overview = (await response.json()) as { mrrCents: number; payingCustomers: number; openIncidents: number };

  await signIn(page, credentials);
  await page.goto('/');
  const mrr = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(overview.mrrCents / 100);
  await expect(page.getByTestId('kpi-mrr')).toHaveText(mrr);
  await expect(page.getByTestId('kpi-paying')).toHaveText(new Intl.NumberFormat('en-US').format(overview.payingCustomers));

  const grid = page.getByTestId('dashboard-grid');
  await expect(grid).toBeVisible();
  const panels = grid.locator(':scope > section');
  if (overview.openIncidents > 0) await expect(panels.first()).toHaveAttribute('data-panel-type', 'incident');
  const mrrChart = page.getByTestId('panel-chart-mrr');
  await expect(mrrChart.getByRole('img')).toBeVisible();
  await expect(page.getByTestId('panel-tile-mrr').getByTestId('value-tile-mrr')).toHaveText(/^\$[\d,]+$/);
});

test('the dashboard arrives drawn from the server: KPIs and panel data are in the first HTML, before any script runs', async ({ browser }) => {
  const credentials = readDemoCredentials();
  const signedIn = await browser.newContext();
  await signIn(await signedIn.newPage(), credentials);
  // The same session, with JavaScript off: whatever shows was rendered on the server.
  const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: await signedIn.storageState() });
  const page = await noScript.newPage();
  await page.goto('/');
  await expect(page.getByTestId('kpi-mrr')).toHaveText(/^\$[\d,]+$/);
  await expect(page.getByTestId('workspace-name')).toHaveText(/\S/);
  const grid = page.getByTestId('dashboard-grid');
  await expect(grid).toBeVisible();
  await expect(page.getByTestId('panel-tile-mrr').getByTestId('value-tile-mrr')).toHaveText(/^\$[\d,]+$/);
  await expect(page.getByTestId('panel-chart-mrr').getByRole('img')).toBeVisible();
  await expect(grid.getByRole('status')).toHaveCount(0); // no panel still loading
  await noScript.close();
  await signedIn.close();
});

test('change the layout in words, regenerate it, and roll it back', async ({ page }) => {
  await signIn(page, readDemoCredentials());
  await page.goto('/');
  await expect(page.getByTestId('layout-version')).toBeVisible();
  const start = await currentVersion(page);

  await page.getByLabel('Change this view').fill('add a churn chart by plan');
  await page.getByRole('button', { name: 'Change view' }).click();
  await expect(page.getByTestId('panel-chart-mrr-churn-by-plan')).toBeVisible();
  await expect(page.getByTestId('layout-version')).toHaveText(`v${start + 1}`);
  await expect(page.getByTestId('panel-chart-mrr-churn-by-plan').getByRole('img')).toBeVisible();

  await page.getByRole('button', { name: 'Regenerate' }).click();
  await expect(page.getByTestId('layout-version')).toHaveText(`v${start + 2}`);
  await expect(page.getByTestId('panel-chart-mrr-churn-by-plan')).toHaveCount(0);

  await page.getByRole('button', { name: 'History' }).click();
  await page.getByRole('button', { name: `Roll back to version ${start + 1}` }).click();
  await expect(page.getByTestId('layout-version')).toHaveText(`v${start + 3}`);
  await expect(page.getByTestId('panel-chart-mrr-churn-by-plan')).toBeVisible();
  await expect(page.getByTestId(`history-v${start + 3}`)).toContainText('rollback');
});

test('an invalid patch is refused over REST and the layout stays as it was', async ({ request }) => {
  const credentials = readDemoCredentials();
  const headers = { authorization: `Bearer ${credentials.apiKey}` };
  const base = `/api/v1/workspaces/${credentials.workspaceId}/ui/main_dashboard`;
  const before = (await (await request.get(base, { headers })).json()) as { version: number };
  const refused = await request.post(`${base}/patch`, { headers, data: { patch: [{ op: 'replace', path: '/elements/root/type', value: 'pie' }] } });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain('replace /elements/root/type');
  const after = (await (await request.get(base, { headers })).json()) as { version: number };
  expect(after.version).toBe(before.version);
});
