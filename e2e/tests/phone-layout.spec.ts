import { expect, test, type Page } from '@playwright/test';
import { readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

const pages = [
  { link: 'Dashboard', path: '/', ready: (page: Page) => page.getByTestId('layout-version') },
  { link: 'Chat', path: '/chat', ready: (page: Page) => page.getByLabel('Message') },
  { link: 'Incidents', path: '/incidents', ready: (page: Page) => page.getByRole('link', { name: /up|down/ }).first() },
  { link: 'Workflows', path: '/workflows', ready: (page: Page) => page.getByTestId('workflow-name') },
  { link: 'Agents', path: '/agents', ready: (page: Page) => page.getByTestId('agent-card').first() },
  { link: 'Integrations', path: '/integrations', ready: (page: Page) => page.getByTestId('integrations-page') },
  { link: 'Settings', path: '/settings', ready: (page: Page) => page.getByTestId('members').getByRole('combobox').first() },
];

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

for (const theme of ['light', 'dark'] as const) {
  test(`on a phone (${theme}) the navigation fits the first screen and no page scrolls sideways`, async ({ page }) => {
    await page.addInitScript((chosen) => window.localStorage.setItem('opspilot.theme', chosen), theme);
    await signIn(page, readDemoCredentials());
    const nav = page.getByRole('navigation', { name: 'Console' });
    // The page's own heading is on the first screen, not below a column of links.
    await expect(page.getByRole('heading', { level: 1 })).toBeInViewport();
    const navBox = await nav.boundingBox();
    expect(navBox!.height).toBeLessThan(100);
    for (const entry of pages) {
      const link = nav.getByRole('link', { name: entry.link });
      await link.click();
      await expect(page).toHaveURL(new RegExp(`${entry.path === '/' ? '/$' : entry.path}`));
      await expect(entry.ready(page)).toBeVisible();
      await expect(link).toHaveAttribute('aria-current', 'page');
      // One page, one h1 (the chat page's side dashboard used to bring a second).
      await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
      // However short the page, the bar stays a bar: every link is on the first screen, ending near its top.
      const bar = await nav.boundingBox();
      expect(bar!.y + bar!.height, `${entry.path} stretches the navigation`).toBeLessThan(170);
      for (const other of pages) await expect(nav.getByRole('link', { name: other.link })).toBeInViewport();
      expect(await horizontalOverflow(page), `${entry.path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
  });
}

test('on a phone, an incident and its chart fit the screen with readable axis labels', async ({ page }) => {
  await signIn(page, readDemoCredentials());
  await page.goto('/incidents');
  await page.getByRole('link', { name: 'Latency p95 up' }).click();
  await expect(page.getByTestId('incident-title')).toBeVisible();
  const axisLabel = page.getByTestId('incident-chart').locator('text.chart-axis').first();
  await expect(axisLabel).toBeVisible();
  // The SVG is drawn at the screen's width, so its 11px labels are not scaled down to a few pixels.
  expect((await axisLabel.boundingBox())!.height).toBeGreaterThanOrEqual(9);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
});
