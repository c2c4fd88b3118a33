import { expect, test } from '@playwright/test';
import { readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

test('run the failed-payment workflow, watch the canvas follow it, approve its approval and see it finish', async ({ page, request }) => {
  const credentials = readDemoCredentials();
  await signIn(page, credentials);
  await page.goto('/workflows');
  await page.getByRole('button', { name: 'Failed-payment follow-up' }).click();
  await expect(page.getByTestId('workflow-name')).toHaveText('Failed-payment follow-up');
  await page.getByRole('button', { name: 'Run now' }).click();

  const run = page.getByTestId('workflow-run');
  const canvas = run.getByTestId('workflow-canvas');
  await expect(canvas).toBeVisible();
  // The embedded worker finds the failed invoices, posts to Slack and stops at the approval; the canvas follows live.
  await expect(run.getByTestId('run-status')).toHaveText('waiting');
  await expect(canvas.getByLabel('action step notifyBilling: succeeded')).toBeAttached();
  await expect(canvas.getByLabel('approval step approveIssue: waiting')).toBeAttached();
  const card = run.getByTestId('approval-card');
  await expect(card).toContainText('Open a Linear issue for the failed payments?');

  // An API key cannot decide it, whatever its scopes.
  const approvals = await request.get(`/api/v1/workspaces/${credentials.workspaceId}/approvals?status=pending`, { headers: { authorization: `Bearer ${credentials.apiKey}` } });
  const pending = ((await approvals.json()) as { items: { id: string; runId: string | null }[] }).items;
  expect(pending.length).toBeGreaterThan(0);
  const byKey = await request.post(`/api/v1/workspaces/${credentials.workspaceId}/approvals/${pending[0]!.id}/approve`, {
    headers: { authorization: `Bearer ${credentials.apiKey}`, 'content-type': 'application/json' }, data: {},
  });
  expect(byKey.status()).toBe(403);

  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(run.getByTestId('run-status')).toHaveText('succeeded');
  await expect(canvas.getByLabel('action step createIssue: succeeded')).toBeAttached();
  await expect(run.getByTestId('step-state-createIssue')).toHaveText('succeeded');
  await expect(run.getByTestId('approval-card')).toHaveCount(0);
});
