// Console benchmark in Chromium through Playwright against the built app on
// localhost: dashboard LCP (warm), JavaScript transferred on a cold first load
// (bytes on the wire, gzip from next start), and the time from a UI patch
// request to its panel on screen (patch stored, bus notification, SSE
// ui.onPatch, refetch, render).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createRuntime } from '@opspilot/api/server';
import { percentile, repositoryRoot, startWebServer, waitForHealthy } from './_support';

// The slice of Playwright this bench uses; the package lives in e2e/, so it is loaded from there.
interface Locator { fill(value: string): Promise<void>; click(): Promise<void>; waitFor(): Promise<void> }
interface CdpSession { send(method: string): Promise<unknown>; on(event: string, handler: (event: never) => void): void }
interface Page {
  goto(url: string, options?: { waitUntil?: string }): Promise<unknown>;
  reload(options?: { waitUntil?: string }): Promise<unknown>;
  waitForURL(url: RegExp): Promise<void>;
  getByLabel(text: string): Locator;
  getByRole(role: string, options: { name: RegExp }): Locator;
  getByTestId(id: string): Locator;
  evaluate(expression: string): Promise<unknown>;
}
interface BrowserContext { newPage(): Promise<Page>; newCDPSession(page: Page): Promise<CdpSession>; storageState(): Promise<unknown>; close(): Promise<void> }
interface Browser { newContext(options: { baseURL: string; storageState?: unknown }): Promise<BrowserContext>; close(): Promise<void> }
interface Playwright { chromium: { launch(options: { executablePath: string; args: string[] }): Promise<Browser> } }
const playwright = createRequire(path.join(repositoryRoot, 'e2e/package.json'))('@playwright/test') as Playwright;

interface Credentials { email: string; password: string; workspaceId: string }

const warmLoads = 5;
const patchRounds = 5;

export default async function run(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'opspilot-console-bench-'));
  // Seeded here (unbundled) so the measured server starts on a ready database.
  const seeded = await createRuntime({ env: { ...process.env, OPSPILOT_DATA_DIR: dataDir, DATABASE_URL: '' }, printDemoCredentials: false });
  await seeded.close();
  const server = await startWebServer({ dataDir });
  const browser = await playwright.chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    await waitForHealthy(server.baseUrl);
    const credentials = JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')) as Credentials;
    const context = await browser.newContext({ baseURL: server.baseUrl });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(credentials.email);
    await page.getByLabel('Password').fill(credentials.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL(/\/$/);
    await page.getByTestId('dashboard-grid').waitFor();

    const cold = await measureFirstLoadScripts(browser, server.baseUrl, await context.storageState());
    const lcp: number[] = [];
    for (let round = 0; round < warmLoads; round += 1) lcp.push(await measureLcp(page));
    const patch: number[] = [];
    for (let round = 0; round < patchRounds; round += 1) patch.push(await measurePatchToPanel(page, credentials.workspaceId, round));
    return {
      dashboardLcpWarmP50Ms: percentile(lcp, 0.5),
      dashboardLcpWarmMaxMs: percentile(lcp, 1),
      firstLoadJsTransferredBytes: cold.transferred,
      firstLoadJsTransferredKiB: Math.round(cold.transferred / 102.4) / 10,
      firstLoadJsGzipBytes: cold.gzip,
      firstLoadScripts: cold.count,
      uiPatchToPanelP50Ms: percentile(patch, 0.5),
      uiPatchToPanelMaxMs: percentile(patch, 1),
      warmLoads,
      patchRounds,
    };
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Reloads the dashboard and reads the largest contentful paint once the grid is drawn. */
async function measureLcp(page: Page): Promise<number> {
  await page.reload({ waitUntil: 'load' });
  await page.getByTestId('dashboard-grid').waitFor();
  return Number(await page.evaluate(`new Promise((resolve) => {
    new PerformanceObserver((list) => resolve(list.getEntries().at(-1)?.startTime ?? NaN)).observe({ type: 'largest-contentful-paint', buffered: true });
  })`));
}

/** A cold context (empty cache) loads the dashboard; scripts' bytes on the wire (encoded) are summed. */
async function measureFirstLoadScripts(browser: Browser, baseUrl: string, storageState: unknown) {
  const context = await browser.newContext({ baseURL: baseUrl, storageState });
  const page = await context.newPage();
  const session = await context.newCDPSession(page);
  await session.send('Network.enable');
  const scripts = new Map<string, string>();
  let transferred = 0;
  session.on('Network.responseReceived', (event: { requestId: string; type: string; response: { headers: Record<string, string> } }) => {
    if (event.type === 'Script') scripts.set(event.requestId, event.response.headers['content-encoding'] ?? event.response.headers['Content-Encoding'] ?? 'identity');
  });
  session.on('Network.loadingFinished', (event: { requestId: string; encodedDataLength: number }) => {
    if (scripts.has(event.requestId)) transferred += event.encodedDataLength;
  });
  await page.goto('/', { waitUntil: 'networkidle' });
  await page.getByTestId('dashboard-grid').waitFor();
  const encodings = [...scripts.values()];
  await context.close();
  return { transferred, count: scripts.size, gzip: encodings.every((encoding) => encoding === 'gzip' || encoding === 'br') ? transferred : null };
}

/** Patches a markdown panel in through REST from the page and times until it is on screen. */
async function measurePatchToPanel(page: Page, workspaceId: string, round: number): Promise<number> {
  const id = `bench-note-${round}-${Date.now().toString(36)}`;
  const patch = JSON.stringify({ patch: [
    { op: 'add', path: `/elements/${id}`, value: { type: 'markdown', title: 'Bench note', body: 'Added by the console benchmark.' } },
    { op: 'add', path: '/elements/root/children/0', value: id },
  ] });
  return Number(await page.evaluate(`(async () => {
    const appeared = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (document.querySelector('[data-testid="panel-${id}"]')) { observer.disconnect(); resolve(performance.now()); }
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
    const started = performance.now();
    const response = await fetch('/api/v1/workspaces/${workspaceId}/ui/main_dashboard/patch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(patch)} });
    if (!response.ok) throw new Error('patch failed: ' + response.status + ' ' + (await response.text()));
    return (await appeared) - started;
  })()`));
}
