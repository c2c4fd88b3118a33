import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { e2eBaseUrl, readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

// Settings manages the workspace: API keys (secret shown once, revoke), invitations (link shown once, accepted by a
// new person who creates their account from it), and members (change role, remove; the last owner stays).
const suffix = () => randomBytes(4).toString('hex');

/**
 * Submits the invite page's account form. better-auth, in production, allows 3 sign-ups per 10 s from one address
 * and these journeys create several from 127.0.0.1: when refused for that, the page says so and, like a person,
 * we wait the window out and submit again (once).
 */
async function submitAccountForm(page: Page, buttonName: string) {
  const limited = page.getByTestId('invite-account-error').filter({ hasText: 'Too many attempts' });
  const settled = limited.or(page.getByTestId('invite-email-error')).or(page.getByTestId('invite-invalid')).or(page.getByText('Joining the workspace…')).or(page.getByTestId('dashboard-grid'));
  await page.getByRole('button', { name: buttonName }).click();
  await expect(settled.first()).toBeVisible();
  if (await limited.isVisible()) {
    await page.waitForTimeout(10_500);
    await page.getByRole('button', { name: buttonName }).click();
  }
}

/** The demo workspace's name and the signed-in owner's name, as the invite page should show them. */
async function readInviteContext(page: Page, workspaceId: string) {
  const workspaces = (await (await page.request.get('/api/v1/workspaces')).json()) as { id: string; name: string }[];
  const me = (await (await page.request.get('/api/v1/me')).json()) as { name: string };
  return { workspaceName: workspaces.find((workspace) => workspace.id === workspaceId)?.name ?? '', ownerName: me.name };
}

async function openSettingsAsOwner(page: Page) {
  const credentials = readDemoCredentials();
  await signIn(page, credentials);
  await page.goto('/settings');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  return credentials;
}

test('an owner creates a read key, sees the secret once, it works on REST, and after revoking it gets 401', async ({ page, request }) => {
  const credentials = await openSettingsAsOwner(page);
  const name = `E2E read key ${suffix()}`;
  const form = page.getByRole('form', { name: 'Create an API key' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await expect(form.getByRole('checkbox', { name: 'read' })).toBeChecked();
  await expect(form.getByRole('checkbox', { name: 'write' })).not.toBeChecked();
  await form.getByRole('button', { name: 'Create key' }).click();

  const secretBox = page.getByTestId('api-key-secret');
  await expect(secretBox).toBeFocused();
  await expect(secretBox).toContainText('You will not see this secret again');
  const secret = await page.getByTestId('api-key-secret-value').inputValue();
  expect(secret).toMatch(/^\S{20,}$/);
  const overview = `/api/v1/workspaces/${credentials.workspaceId}/overview`;
  const withKey = { headers: { authorization: `Bearer ${secret}` } };
  expect((await request.get(overview, withKey)).status()).toBe(200);

  await secretBox.getByRole('button', { name: 'Done' }).click();
  await expect(secretBox).toHaveCount(0);
  await expect(form.getByLabel('Name', { exact: true })).toBeFocused();
  await page.reload();
  expect(await page.content()).not.toContain(secret);

  const row = page.getByTestId('api-keys').getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('active');
  await expect(row.getByRole('cell').nth(2)).toHaveText('read');
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  const confirm = page.getByRole('group', { name: `Confirm: revoke ${name}` });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(row).toContainText('revoked');
  await expect(row.getByRole('button', { name: `Revoke ${name}` })).toHaveCount(0);
  await expect(page.getByTestId('api-keys-status')).toContainText(`Key “${name}” revoked`);
  expect((await request.get(overview, withKey)).status()).toBe(401);
});

test('a key without a name is refused next to the field, a server refusal lands next to its field, and nothing is created', async ({ page }) => {
  const credentials = await openSettingsAsOwner(page);
  const keysPath = `/api/v1/workspaces/${credentials.workspaceId}/api-keys`;
  const countKeys = async () => ((await (await page.request.get(`${keysPath}?limit=100`)).json()) as { items: unknown[] }).items.length;
  const before = await countKeys();
  const form = page.getByRole('form', { name: 'Create an API key' });
  const nameField = form.getByLabel('Name', { exact: true });

  await form.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByTestId('api-key-name-error')).toContainText('Give the key a name');
  await expect(nameField).toHaveAttribute('aria-invalid', 'true');
  await expect(nameField).toBeFocused();

  // The server's own check (at most 365 days) comes back as a zod issue on expiresInDays, shown beside that field.
  await nameField.fill('Lives too long');
  const expiry = form.getByLabel(/Expires after/);
  await expiry.fill('400');
  await form.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByTestId('api-key-expiresInDays-error')).toContainText('365');
  await expect(expiry).toBeFocused();
  await expect(page.getByTestId('api-key-name-error')).toHaveCount(0);
  await expect(nameField).toHaveValue('Lives too long');
  await expect(expiry).toHaveValue('400');
  await expect(page.getByTestId('api-key-secret')).toHaveCount(0);
  expect(await countKeys()).toBe(before);
});

test('an invited person creates their account from the link and lands in the workspace; the owner changes their role and removes them', async ({ page, browser }) => {
  const credentials = await openSettingsAsOwner(page);
  const email = `invitee-${suffix()}@example.com`;
  const name = `Invited ${suffix()}`;
  const inviteForm = page.getByRole('form', { name: 'Invite someone' });
  await inviteForm.getByLabel('Email').fill(email);
  await inviteForm.getByLabel('Role').selectOption('member');
  await inviteForm.getByRole('button', { name: 'Create invitation link' }).click();
  await expect(page.getByTestId('invitation-link')).toContainText('You will not see it again');
  const link = await page.getByTestId('invitation-link-value').inputValue();
  expect(link.startsWith(`${e2eBaseUrl}/invite/`)).toBe(true);
  await expect(page.getByTestId('invitations').getByRole('row', { name: new RegExp(email) })).toContainText('member');

  const { workspaceName, ownerName } = await readInviteContext(page, credentials.workspaceId);
  const inviteeContext = await browser.newContext({ baseURL: e2eBaseUrl });
  const invitee = await inviteeContext.newPage();
  await invitee.goto(link);
  // Before anyone signs in, the page says what the invitation is for.
  const signedOut = invitee.getByTestId('invite-signed-out');
  await expect(signedOut.getByTestId('invite-preview')).toContainText(`Join ${workspaceName} as member, invited by ${ownerName}`);
  await expect(signedOut.getByTestId('invite-preview')).toContainText(`Sent to ${email.slice(0, 1)}•••@example.com`);
  expect(await invitee.content()).not.toContain(email);
  await invitee.getByLabel('Your name').fill(name);
  await invitee.getByLabel('Email').fill(email);
  await invitee.getByLabel('Password').fill('a-long-enough-password-42');
  await submitAccountForm(invitee, 'Create account and join');
  await invitee.waitForURL(`${e2eBaseUrl}/`);
  await expect(invitee.locator('#workspace-switcher')).toHaveValue(credentials.workspaceId);
  await expect(invitee.getByTestId('dashboard-grid')).toBeVisible();
  const cookies = await inviteeContext.cookies();
  expect(cookies.find((cookie) => cookie.name === 'opspilot.workspace')?.value).toBe(credentials.workspaceId);
  // The link works once: opened again, it says it was accepted and leads back to the dashboard.
  await invitee.goto(link);
  await expect(invitee.getByTestId('invite-unusable')).toHaveAttribute('data-state', 'accepted');
  await expect(invitee.getByTestId('invite-unusable')).toContainText(`This invitation to ${workspaceName} was already accepted`);
  await expect(invitee.getByRole('link', { name: 'Go to your dashboard' })).toHaveAttribute('href', '/');
  await invitee.goto('/');

  await page.reload();
  await expect(page.getByTestId('invitations').getByRole('row', { name: new RegExp(email) })).toHaveCount(0);
  const row = page.getByTestId('members').getByRole('row', { name: new RegExp(email) });
  const roleSelect = row.getByLabel(`Role of ${name}`);
  await expect(roleSelect).toHaveValue('member');
  await roleSelect.selectOption('viewer');
  await row.getByRole('button', { name: `Save role of ${name}` }).click();
  await expect(page.getByTestId('members-status')).toHaveText(`${name} is now viewer.`);
  await expect(page.getByTestId('members-status')).toBeFocused();
  await expect(row.getByRole('button', { name: `Save role of ${name}` })).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('members').getByRole('row', { name: new RegExp(email) }).getByLabel(`Role of ${name}`)).toHaveValue('viewer');

  await row.getByRole('button', { name: `Remove ${name}` }).click();
  await page.getByRole('group', { name: `Confirm: remove ${name}` }).getByRole('button', { name: 'Yes, remove' }).click();
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('members-status')).toHaveText(`${name} was removed from this workspace.`);
  await invitee.reload();
  await expect(invitee.getByTestId('no-workspace')).toBeVisible();
  await inviteeContext.close();
});

test('the last owner cannot demote themself: the server refuses and the page says why', async ({ page }) => {
  const credentials = await openSettingsAsOwner(page);
  const members = page.getByTestId('members');
  await expect(members.getByRole('combobox').first()).toBeVisible();
  const owners = await members.getByRole('combobox').evaluateAll((selects) => selects.filter((select) => (select as HTMLSelectElement).value === 'owner').length);
  test.skip(owners !== 1, 'the demo workspace has more than one owner');
  const mine = members.getByRole('row', { name: new RegExp(credentials.email) });
  await mine.getByRole('combobox').selectOption('admin');
  await mine.getByRole('button', { name: /^Save role of / }).click();
  await expect(mine.getByTestId('member-role-error')).toContainText('at least one owner');
});

test('a revoked or unknown invitation says so before sign-in and offers a way on; a link for another address is refused', async ({ page, browser }) => {
  const credentials = await openSettingsAsOwner(page);
  const revokedEmail = `revoked-${suffix()}@example.com`;
  const inviteForm = page.getByRole('form', { name: 'Invite someone' });
  await inviteForm.getByLabel('Email').fill(revokedEmail);
  await inviteForm.getByRole('button', { name: 'Create invitation link' }).click();
  const revokedLink = await page.getByTestId('invitation-link-value').inputValue();
  const pendingRow = page.getByTestId('invitations').getByRole('row', { name: new RegExp(revokedEmail) });
  await pendingRow.getByRole('button', { name: `Revoke the invitation for ${revokedEmail}` }).click();
  await page.getByRole('group', { name: `Confirm: revoke the invitation for ${revokedEmail}` }).getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(page.getByTestId('invitations-status')).toContainText(`The invitation for ${revokedEmail} was revoked`);
  await expect(pendingRow).toHaveCount(0);

  // Signed out: a revoked link and an unknown one each say what happened, with no form to fill in vain.
  const strangerContext = await browser.newContext({ baseURL: e2eBaseUrl });
  const stranger = await strangerContext.newPage();
  await stranger.goto(revokedLink);
  const revoked = stranger.getByTestId('invite-unusable');
  await expect(revoked).toHaveAttribute('data-state', 'revoked');
  await expect(revoked.getByRole('heading', { name: 'This invitation was revoked' })).toBeFocused();
  await expect(revoked).toContainText('ask them for a new invitation link');
  await expect(revoked.getByRole('link', { name: 'Sign in to OpsPilot' })).toHaveAttribute('href', '/sign-in');
  await expect(stranger.getByTestId('invite-account-form')).toHaveCount(0);
  await stranger.goto('/invite/opi_not-a-real-invitation');
  await expect(stranger.getByTestId('invite-unusable')).toHaveAttribute('data-state', 'unknown');
  await expect(stranger.getByTestId('invite-unusable')).toContainText('This invitation link is not valid');

  // Signed in as someone else than the invited address: the page warns, and acceptance is refused with a way out.
  const invitedEmail = `invited-${suffix()}@example.com`;
  const created = await page.request.post(`/api/v1/workspaces/${credentials.workspaceId}/invitations`, { headers: { origin: e2eBaseUrl }, data: { email: invitedEmail, role: 'viewer' } });
  expect(created.status()).toBe(200);
  const link = `/invite/${((await created.json()) as { token: string }).token}`;
  await page.goto(link);
  await expect(page.getByTestId('invite-preview-other-address')).toContainText(`You are signed in as ${credentials.email}`);
  await page.getByTestId('invite-accept').click();
  const invalid = page.getByTestId('invite-invalid');
  await expect(invalid).toContainText('This invitation cannot be used');
  await expect(invalid.getByRole('link', { name: 'Go to your dashboard' })).toHaveAttribute('href', '/');
  await invalid.getByRole('button', { name: 'Sign out and use another account' }).click();
  await expect(page.getByTestId('invite-signed-out').getByTestId('invite-preview')).toContainText('as viewer');

  // Signed out, with an address nobody invited: refused at sign-up (invite-only) or at acceptance (open sign-up).
  await stranger.goto('/sign-in');
  const policy = await stranger.getByTestId('sign-up-hint').getAttribute('data-policy');
  await stranger.goto(link);
  await stranger.getByLabel('Your name').fill('Stranger');
  await stranger.getByLabel('Email').fill(`stranger-${suffix()}@example.com`);
  await stranger.getByLabel('Password').fill('a-long-enough-password-42');
  await submitAccountForm(stranger, 'Create account and join');
  if (policy === 'invite-only') {
    await expect(stranger.getByTestId('invite-email-error')).toContainText('There is no pending invitation');
    await expect(stranger.getByLabel('Email')).toBeFocused();
    await expect(stranger.getByLabel('Your name')).toHaveValue('Stranger');
  } else {
    await expect(stranger.getByTestId('invite-invalid')).toContainText('This invitation cannot be used');
  }
  await strangerContext.close();
});

test('someone with an account joins a second workspace from its link (signing in, or already signed in) and lands on that workspace', async ({ page, browser }) => {
  const credentials = readDemoCredentials();
  await signIn(page, credentials);
  const owner = page.request;
  const asOwner = { headers: { origin: e2eBaseUrl } };
  const invite = async (workspaceId: string, email: string) => {
    const response = await owner.post(`/api/v1/workspaces/${workspaceId}/invitations`, { ...asOwner, data: { email, role: 'member' } });
    expect(response.status()).toBe(200);
    return `/invite/${((await response.json()) as { token: string }).token}`;
  };
  const created = await owner.post('/api/v1/workspaces', { ...asOwner, data: { name: `E2E second ${suffix()}` } });
  expect(created.status()).toBe(200);
  const second = ((await created.json()) as { id: string }).id;
  const email = `returning-${suffix()}@example.com`;
  const password = 'a-long-enough-password-42';
  try {
    // First invitation: a new account, into the demo workspace.
    const firstContext = await browser.newContext({ baseURL: e2eBaseUrl });
    const first = await firstContext.newPage();
    await first.goto(await invite(credentials.workspaceId, email));
    await first.getByLabel('Your name').fill('Returning');
    await first.getByLabel('Email').fill(email);
    await first.getByLabel('Password').fill(password);
    await submitAccountForm(first, 'Create account and join');
    await first.waitForURL(`${e2eBaseUrl}/`);
    await expect(first.locator('#workspace-switcher')).toHaveValue(credentials.workspaceId);

    // Second invitation, opened signed out elsewhere: sign in with the existing account, land on the second workspace.
    const secondContext = await browser.newContext({ baseURL: e2eBaseUrl });
    const other = await secondContext.newPage();
    await other.goto(await invite(second, email));
    await other.getByRole('button', { name: 'I already have an account' }).click();
    await expect(other.getByRole('heading', { name: 'Sign in' })).toBeFocused();
    await other.getByLabel('Email').fill(email);
    await other.getByLabel('Password').fill(password);
    await submitAccountForm(other, 'Sign in and join');
    await other.waitForURL(`${e2eBaseUrl}/`);
    await expect(other.locator('#workspace-switcher')).toHaveValue(second);

    // The first browser is still signed in and on the demo workspace: a link there is one click, and selects the new one.
    const third = await owner.post(`/api/v1/workspaces/${second}/invitations`, { ...asOwner, data: { email, role: 'viewer' } });
    expect(third.status()).toBe(200);
    await first.goto(`/invite/${((await third.json()) as { token: string }).token}`);
    await expect(first.getByTestId('invite-signed-in')).toContainText(email);
    await first.getByTestId('invite-accept').click();
    await first.waitForURL(`${e2eBaseUrl}/`);
    await expect(first.locator('#workspace-switcher')).toHaveValue(second);
    await firstContext.close();
    await secondContext.close();
  } finally {
    // Other journeys expect the demo owner to have the demo workspace only.
    expect((await owner.delete(`/api/v1/workspaces/${second}`, asOwner)).status()).toBe(200);
  }
});
