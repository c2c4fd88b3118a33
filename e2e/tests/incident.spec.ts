import { expect, test } from '@playwright/test';
import { readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

test('open an incident and see its expected band against the actual values', async ({ page }) => {
  await signIn(page, readDemoCredentials());
  await page.goto('/incidents');
  const rows = page.getByTestId('incident-row');
  await expect(rows.first()).toBeVisible();
  const title = (await rows.first().getByRole('link').textContent()) ?? '';
  await rows.first().getByRole('link').click();
  await expect(page.getByTestId('incident-title')).toHaveText(title);
  const chart = page.getByTestId('incident-chart');
  await expect(chart.getByRole('img').first()).toBeVisible();
  await expect(chart.getByTestId('expected-band').first()).toBeAttached();
  await expect(chart.getByTestId('anomaly-marker').first()).toBeAttached();
  // Each anomaly reads as a span of time (it grows while the regression lasts), not only its start.
  await expect(page.getByTestId('anomaly-row').first().getByRole('cell').first()).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{2}:\d{2} [AP]M – .+[AP]M$/);
});
