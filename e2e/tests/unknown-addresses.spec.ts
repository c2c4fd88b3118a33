import { expect, test } from '@playwright/test';
import { readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

test('an unknown incident says it does not exist and leads back to the list', async ({ page }) => {
  await signIn(page, readDemoCredentials());
  await page.goto('/incidents/inc_that_never_was');
  await expect(page.getByRole('heading', { level: 1, name: 'Incident not found' })).toBeVisible();
  await expect(page.getByTestId('incident-error')).toContainText('no incident with this id');
  await page.getByRole('link', { name: 'Back to incidents' }).click();
  await expect(page).toHaveURL(/\/incidents$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Incidents' })).toBeVisible();
});

test('an unknown address shows a styled not-found page with a way to the dashboard', async ({ page }) => {
  await signIn(page, readDemoCredentials());
  const response = await page.goto('/no-such-page-here');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the dashboard' }).click();
  await expect(page.getByTestId('layout-version')).toBeVisible();
});
