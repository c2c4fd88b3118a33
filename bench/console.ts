// Console benchmark in Chromium through Playwright against the built app on
// localhost: dashboard LCP (warm), JavaScript transferred on a cold first load
// (bytes on the wire, gzip from next start), and the time from a UI patch
// request to its panel on screen (patch stored, bus notification, SSE
// ui.onPatch, refetch, render).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { percentile, repositoryRoot, startWebServer, waitForHealthy } from './_support';

type Playwright = typeof import('@playwright/test');
const playwright = createRequire(path.join(repositoryRoot, 'e2e/package.json'))('@playwright/test') as Playwright;

interface Credentials { email: string; password: string; workspaceId: string }

const warmLoads = 5;
const patchRounds = 5;

export default async function run(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'opspilot-console-bench-'));
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
async function measureLcp(page: import('@playwright/test').Page): Promise<number> {
  await page.reload({ waitUntil: 'load' });
  await page.getByTestId('dashboard-grid').waitFor();
  return page.evaluate(() => new Promise<number>((resolve) => {
    new PerformanceObserver((list) => {
      const entries = list.getEntries();
      resolve(entries.at(-1)?.startTime ?? Number.NaN);
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  }));
}

/** A cold context (empty cache) loads the dashboard; scripts' bytes on the wire (encoded) are summed. */
async function measureFirstLoadScripts(browser: import('@playwright/test').Browser, baseUrl: string, storageState: Awaited<ReturnType<import('@playwright/test').BrowserContext['storageState']>>) {
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
async function measurePatchToPanel(page: import('@playwright/test').Page, workspaceId: string, round: number): Promise<number> {
  const id = `bench-note-${round}-${Date.now().toString(36)}`;
  return page.evaluate(async ({ workspaceId: workspace, id: elementId }) => {
    const appeared = new Promise<number>((resolve) => {
      const observer = new MutationObserver(() => {
        if (document.querySelector(`[data-testid="panel-${elementId}"]`)) {
          observer.disconnect();
          resolve(performance.now());
        }
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
    const started = performance.now();
    const response = await fetch(`/api/v1/workspaces/${workspace}/ui/main_dashboard/patch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ patch: [
        { op: 'add', path: `/elements/${elementId}`, value: { type: 'markdown', title: 'Bench note', body: 'Added by the console benchmark.' } },
        { op: 'add', path: '/elements/root/children/0', value: elementId },
      ] }),
    });
    if (!response.ok) throw new Error(`patch failed: ${response.status} ${await response.text()}`);
    return (await appeared) - started;
  }, { workspaceId, id });
}
