import { randomBytes } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { e2eBaseUrl, readDemoCredentials } from './support/environment';
import { signIn } from './support/sign-in';

// Settings lists show 50 rows, then "Load more" appends the next page (saying it is loading) until the last one,
// where the button goes and the count line says all are shown. API keys are the cheapest rows to make in bulk.
const pageSize = 50;
const asOwner = { headers: { origin: e2eBaseUrl } };

async function countKeys(request: APIRequestContext, keysPath: string): Promise<number> {
  let total = 0;
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = (await (await request.get(`${keysPath}?limit=100${query}`)).json()) as { items: unknown[]; nextCursor: string | null };
    total += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return total;
}

test('the API keys list loads more on request, shows that it is loading, and the button goes after the last page', async ({ page }) => {
  const credentials = readDemoCredentials();
  await signIn(page, credentials);
  const keysPath = `/api/v1/workspaces/${credentials.workspaceId}/api-keys`;
  const tag = randomBytes(3).toString('hex');
  const created: string[] = [];
  for (let index = 0; index < pageSize + 5; index += 1) {
    const response = await page.request.post(keysPath, { ...asOwner, data: { name: `E2E page ${tag} ${index}`, scopes: ['read'] } });
    expect(response.status()).toBe(200);
    created.push(((await response.json()) as { apiKey: { id: string } }).apiKey.id);
  }
  const total = await countKeys(page.request, keysPath);
  try {
    await page.goto('/settings');
    const rows = page.getByTestId('api-keys').locator('tbody tr');
    const more = page.getByTestId('api-keys-load-more');
    const count = page.getByTestId('api-keys-load-more-count');
    await expect(rows).toHaveCount(pageSize);
    await expect(count).toHaveText(`${pageSize} keys shown`);
    // Newest first: the first of these keys is the 55th newest, so not on the first page.
    await expect(rows.filter({ hasText: `E2E page ${tag} 0` })).toHaveCount(0);

    // Hold the next page until its loading state has been seen.
    let release = () => {};
    const held = new Promise<void>((resolve) => { release = resolve; });
    const keyListRequest = (url: URL) => url.pathname.includes('apiKey.list');
    await page.route(keyListRequest, async (route) => {
      await held;
      await route.continue();
    });
    await more.click();
    await expect(more).toHaveText('Loading more keys…');
    await expect(more).toBeDisabled();
    // Released, the hold lets every later request through at once.
    release();
    const pages = Math.ceil(total / pageSize);
    for (let loaded = 2; loaded <= pages; loaded += 1) {
      await expect(rows).toHaveCount(Math.min(total, loaded * pageSize));
      if (loaded < pages) await more.click();
    }
    await expect(more).toHaveCount(0);
    await expect(count).toHaveText(`All ${total} keys shown`);
    await expect(count).toBeFocused();
    await expect(rows.filter({ hasText: `E2E page ${tag} 0` })).toHaveCount(1);
    const names = await rows.locator('td:first-child').allTextContents();
    expect(new Set(names.filter((name) => name.startsWith(`E2E page ${tag} `))).size).toBe(pageSize + 5);
  } finally {
    for (const id of created) expect((await page.request.delete(`${keysPath}/${id}`, asOwner)).status()).toBe(200);
  }
});
