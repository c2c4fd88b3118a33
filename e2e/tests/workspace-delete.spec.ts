import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { e2eBaseUrl, readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

const suffix = () => randomBytes(4).toString('hex');

/**
 * Submits the invite page's account form; better-auth allows 3 sign-ups per 10 s from one address in production,
 * so when the page says so we wait the window out and submit again once (as settings.spec.ts does).
 */
async function createAccountFromInvite(page: Page, account: { name: string; email: string }) {
  await page.getByLabel('Your name').fill(account.name);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill('a-long-enough-password-42');
  const limited = page.getByTestId('invite-account-error').filter({ hasText: 'Too many attempts' });
  const settled = limited.or(page.getByTestId('invite-email-error')).or(page.getByTestId('dashboard-grid'));
  await page.getByRole('button', { name: 'Create account and join' }).click();
  await expect(settled.first()).toBeVisible();
  if (await limited.isVisible()) {
    await page.waitForTimeout(10_500);
    await page.getByRole('button', { name: 'Create account and join' }).click();
  }
  await expect(page.getByTestId('dashboard-grid')).toBeVisible();
}

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
  const name = `Scratch ${suffix()}`;
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

test('a non-owner sees no Delete workspace; an owner whose only workspace is deleted lands on the empty state and creates a new one', async ({ page, browser }) => {
  await signIn(page, readDemoCredentials());
  const scratchName = `Scratch ${suffix()}`;
  const scratch = (await (await page.request.post('/api/v1/workspaces', { data: { name: scratchName } })).json()) as { id: string };
  const email = `deleter-${suffix()}@example.com`;
  const invited = await page.request.post(`/api/v1/workspaces/${scratch.id}/invitations`, { data: { email, role: 'admin' } });
  expect(invited.status()).toBe(200);
  const { token } = (await invited.json()) as { token: string };

  const context = await browser.newContext({ baseURL: e2eBaseUrl });
  const person = await context.newPage();
  await person.goto(`/invite/${token}`);
  await createAccountFromInvite(person, { name: 'Deleter', email });
  await expect(person.getByTestId('workspace-name')).toHaveText(scratchName);
  await person.goto('/settings');
  await expect(person.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(person.getByTestId('danger-zone')).toHaveCount(0);

  const members = (await (await page.request.get(`/api/v1/workspaces/${scratch.id}/members`)).json()) as { items: Array<{ id: string; email: string }> };
  const member = members.items.find((candidate) => candidate.email === email);
  expect((await page.request.patch(`/api/v1/workspaces/${scratch.id}/members/${member?.id ?? ''}`, { data: { role: 'owner' } })).status()).toBe(200);
  await person.reload();
  const zone = person.getByTestId('danger-zone');
  await zone.getByLabel(`Type ${scratchName} to confirm`).fill(scratchName);
  await zone.getByRole('button', { name: 'Delete this workspace' }).click();

  const empty = person.getByTestId('no-workspace');
  await expect(empty).toContainText('create your own');
  const freshName = `Fresh ${suffix()}`;
  const form = empty.getByRole('form', { name: 'Create a workspace' });
  await expect(form.getByRole('button', { name: 'Create workspace' })).toBeDisabled();
  await form.getByLabel('Workspace name').fill(freshName);
  await form.getByRole('button', { name: 'Create workspace' }).click();
  await expect(person.getByTestId('workspace-name')).toHaveText(freshName);
  await expect(person.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(person.getByTestId('danger-zone')).toBeVisible();
  await context.close();

  await page.goto('/settings');
  await expect(page.getByLabel('Workspace', { exact: true }).getByRole('option', { name: scratchName, exact: true })).toHaveCount(0);
});
