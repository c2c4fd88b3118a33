import { expect, test } from '@playwright/test';
import { readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

test('a question over the length limit is explained before sending, and nothing typed is lost', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, readDemoCredentials());
  await page.goto('/chat');
  const input = page.getByLabel('Message');
  const send = page.getByRole('button', { name: 'Send' });
  await expect(send).toBeDisabled();
  const long = 'Why did sign-ups drop last week? '.repeat(300);
  await input.fill(long);
  await expect(page.getByTestId('chat-too-long')).toContainText('the limit is 8,000');
  await expect(send).toBeDisabled();
  await input.press('Enter');
  await expect(input).toHaveValue(long);
  await input.fill('How many paying customers do we have?');
  await expect(page.getByTestId('chat-too-long')).toHaveCount(0);
  await send.click();
  await expect(page.getByTestId('chat-answer').last()).toHaveAttribute('aria-busy', 'false');
  expect(errors).toEqual([]);
});

test('a question sent while offline is shown as waiting and goes out when the connection is back', async ({ page, context }) => {
  await signIn(page, readDemoCredentials());
  await page.goto('/chat');
  await page.getByLabel('Message').fill('What is our MRR?');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('chat-answer').last()).toHaveAttribute('aria-busy', 'false');

  await context.setOffline(true);
  await page.getByLabel('Message').fill('How many paying customers do we have?');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('chat-pending')).toContainText('How many paying customers');
  await expect(page.getByTestId('chat-offline')).toBeVisible();

  await context.setOffline(false);
  await expect(page.getByTestId('chat-pending')).toHaveCount(0);
  await expect(page.getByTestId('chat-offline')).toHaveCount(0);
  await expect(page.getByText('How many paying customers do we have?')).toBeVisible();
});
