import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

// An owner deletes a workspace from Settings by typing its name. The journey makes its own scratch workspace:
// the demo workspace is what every other journey uses, so it is only checked, never deleted.

test('an owner deletes a scratch workspace from Settings by typing its name; it leaves the switcher and the demo workspace is untouched', async ({ page }) => {
  const credentials = readDemoCredentials();
  const withKey = { headers: { authorization: `Bearer ${credentials.apiKey}` } };
  const demoOverview = `/api/v1/workspaces/${credentials.workspaceId}/overview`;
  // The headline numbers without `asOf`, the moment they were read.
  const readDemoOverview = async () => {
    const response = await page.request.get(demoOverview, withKey);
    expect(response.status()).toBe(200);
    const { asOf: _asOf, ...numbers } = (await response.json()) as Record<string, unknown>;
    return numbers;
  };
  const demoBefore = await readDemoOverview();
  expect(demoBefore).toHaveProperty('customers');

  await signIn(page, credentials);
  const name = `Scratch ${randomBytes(4).toString('hex')}`;
  const created = await page.request.post('/api/v1/workspaces', { data: { name } });
  expect(created.status()).toBe(200);
  const scratch = (await created.json()) as { id: string; role: string };
  expect(scratch.role).toBe('owner');

  await page.goto('/settings');
  const switcher = page.getByLabel('Workspace', { exact: true });
  await switcher.selectOption({ label: name });
  await expect(page.getByTestId('workspace-name')).toHaveText(name);

  const zone = page.getByTestId('danger-zone');
  await expect(zone.getByRole('heading', { name: 'Delete workspace' })).toBeVisible();
  await expect(zone).toContainText('permanently removes everything in it');
  await expect(zone).toContainText('This cannot be undone');
  const confirm = zone.getByLabel(`Type ${name} to confirm`);
  const button = zone.getByRole('button', { name: 'Delete this workspace' });
  await expect(button).toBeDisabled();
  await confirm.fill(name.toLowerCase());
  await expect(button).toBeDisabled();
  await confirm.fill(name);
  await expect(button).toBeEnabled();
  await button.click();

  await expect(page.getByTestId('delete-workspace-status')).toContainText(`Deleted “${name}”`);
  await expect(page.getByTestId('delete-workspace-status')).toBeFocused();
  await expect(switcher.getByRole('option', { name, exact: true })).toHaveCount(0);
  await expect(page.getByTestId('workspace-name')).not.toHaveText(name);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(switcher.getByRole('option', { name, exact: true })).toHaveCount(0);
  expect((await page.request.get(`/api/v1/workspaces/${scratch.id}/overview`)).status()).toBe(404);

  // The demo workspace is still there, with the same headline numbers.
  await expect(switcher.getByRole('option')).not.toHaveCount(0);
  expect(await readDemoOverview()).toEqual(demoBefore);
});
