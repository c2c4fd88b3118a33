import { expect, test } from '@playwright/test';
import { readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

test('navigation between every console page and the theme toggle', async ({ page }) => {
  await signIn(page, readDemoCredentials());
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Console' });
  for (const name of ['Dashboard', 'Chat', 'Incidents', 'Workflows', 'Agents', 'Integrations', 'Settings']) await expect(nav.getByRole('link', { name })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');

  const toggle = page.getByTestId('theme-toggle');
  const before = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await toggle.click();
  const theme = await page.evaluate(() => document.documentElement.dataset.theme);
  expect(['light', 'dark']).toContain(theme);
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(before);
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);

  await nav.getByRole('link', { name: 'Integrations' }).click();
  await expect(page.getByTestId('integrations-page')).toBeVisible();
  await nav.getByRole('link', { name: 'Workflows' }).click();
  await expect(page.getByRole('button', { name: 'Failed-payment follow-up' })).toBeVisible();
  await nav.getByRole('link', { name: 'Agents' }).click();
  await expect(page.getByTestId('agent-card').first()).toBeVisible();
  await nav.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible();

  await page.goto('/views/revenue');
  await expect(page.getByTestId('panel-tile-arr')).toBeVisible();
});
