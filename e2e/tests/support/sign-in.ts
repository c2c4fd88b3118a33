import { expect, type Page } from '@playwright/test';
import type { DemoCredentials } from './environment';

/** Signs in through the console's sign-in form, as a person would. */
export async function signIn(page: Page, credentials: Pick<DemoCredentials, 'email' | 'password'>) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await expect(page).toHaveURL(/\/$/);
}
