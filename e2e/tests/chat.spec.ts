import { expect, test } from '@playwright/test';
import { readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

test('ask a question and read the streamed answer with the right number', async ({ page, request }) => {
  const credentials = readDemoCredentials();
  const response = await request.get(`/api/v1/workspaces/${credentials.workspaceId}/overview`, { headers: { authorization: `Bearer ${credentials.apiKey}` } });
  const overview = (await response.json()) as { payingCustomers: number };
  await signIn(page, credentials);
  await page.goto('/chat');
  await page.getByLabel('Message').fill('How many paying customers do we have?');
  await page.getByRole('button', { name: 'Send' }).click();
  const answer = page.getByTestId('chat-answer').last();
  await expect(answer).toContainText(new Intl.NumberFormat('en-US').format(overview.payingCustomers));
  await expect(answer).toHaveAttribute('aria-busy', 'false');
  // The plan shows which agent answered and that it finished (no model here: the built-in grammar planned it).
  await expect(page.getByTestId('chat-plan').last()).toContainText('✓ ops-intelligence');
});

test('ask for a new chart and see it appear on the dashboard', async ({ page }) => {
  await signIn(page, readDemoCredentials());
  await page.goto('/chat');
  await expect(page.getByTestId('layout-version')).toBeVisible();
  await page.getByLabel('Message').fill('Add a churn chart by plan to the dashboard');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('ui-patch-chip')).toContainText('Dashboard updated');
  await expect(page.getByTestId('panel-chart-mrr-churn-by-plan')).toBeVisible();
});

test('a workflow asked for in chat waits for a person, and runs once approved in the console', async ({ page }) => {
  await signIn(page, readDemoCredentials());
  await page.goto('/chat');
  await page.getByLabel('Message').fill('Run the churn save workflow');
  await page.getByRole('button', { name: 'Send' }).click();
  const card = page.getByTestId('approval-card').last();
  await expect(card).toContainText('Churn save');
  await card.getByTestId('approval-approve').click();
  await expect(card.getByTestId('approval-outcome')).toContainText('the workflow is running');
});
