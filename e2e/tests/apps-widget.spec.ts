import { expect, test, type Page } from '@playwright/test';
import { buildMcpAppsHostPage, buildOpenAiInitScript, hostOrigin, sandboxOrigin } from '../harness/host-pages';
import { createMcpHttp, readWidget, type McpHttp, type ToolResult } from '../harness/mcp-http';
import { e2eBaseUrl, readDemoCredentials } from './support/environment';

// The harness serves the widget on another origin that Playwright answers itself; Chromium's local-network checks
// would block that document (seen as public) from loading the app's assets on 127.0.0.1. In production both are public.
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic', '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights',
    ],
  },
});

let mcp: McpHttp;
let widgetHtml: string;
let dashboard: ToolResult;

test.beforeAll(async () => {
  mcp = createMcpHttp(e2eBaseUrl, readDemoCredentials().apiKey);
  const widget = await readWidget(mcp);
  expect(widget.uri).toMatch(/^ui:\/\/widget\/mcp-dashboard-[0-9a-f]{12}\.html$/);
  expect(widget.contents.map((content) => content.mimeType)).toEqual(['text/html;profile=mcp-app', 'text/html+skybridge']);
  widgetHtml = widget.contents[0]!.text;
  expect(widgetHtml).toContain(`<base href="${e2eBaseUrl}/">`);
  dashboard = await mcp.callTool('show_dashboard', { context: 'main_dashboard' });
  expect(dashboard.isError ?? false).toBe(false);
});

/** Serves the widget HTML (as resources/read returned it) on the sandbox origin and lets the page call tools through the test's MCP client. */
async function prepareHost(page: Page) {
  await page.route(`${sandboxOrigin}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: widgetHtml }));
  await page.exposeFunction('__harnessCallTool', (name: string, args: Record<string, unknown>) => mcp.callTool(name, args));
}

const panelCount = () => (dashboard.structuredContent as { panels: unknown[] }).panels.length;

test('the widget page alone says it needs a host', async ({ page }) => {
  await page.goto('/apps/widgets/mcp-dashboard');
  await expect(page.getByTestId('widget-empty')).toContainText('ChatGPT');
});

test('window.openai host: renders toolOutput at load, follows the theme, refreshes through callTool and keeps widget state', async ({ page }) => {
  await prepareHost(page);
  await page.addInitScript(buildOpenAiInitScript({ theme: 'dark', displayMode: 'inline', toolOutput: dashboard.structuredContent, toolResponseMetadata: dashboard._meta, widgetState: null }));
  await page.goto(`${sandboxOrigin}/widget`);
  const widget = page.getByTestId('opspilot-widget');
  await expect(widget).toHaveAttribute('data-host', 'openai');
  await expect(page.getByTestId('widget-grid')).toHaveAttribute('data-context', 'main_dashboard');
  await expect(page.locator('[data-testid^="panel-"]')).toHaveCount(panelCount());
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('[data-testid^="value-"]').first()).not.toBeEmpty();

  await page.evaluate(() => {
    (window as unknown as { openai: { theme: string } }).openai.theme = 'light';
    window.dispatchEvent(new CustomEvent('openai:set_globals', { detail: { globals: { theme: 'light' } } }));
  });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

  await page.getByRole('button', { name: 'Revenue' }).click();
  await expect(page.getByTestId('widget-grid')).toHaveAttribute('data-context', 'revenue');
  const harness = await page.evaluate(() => (window as unknown as { __harness: { calls: { name: string; args: unknown }[]; states: unknown[] } }).__harness);
  expect(harness.calls).toEqual([{ name: 'refresh_dashboard', args: { context: 'revenue' } }]);
  expect(harness.states).toEqual([{ context: 'revenue', refreshes: 1 }]);

  // The host re-opens the widget with its saved state: it shows the context chosen last.
  await page.addInitScript(() => {
    const openai = (window as unknown as { openai?: { widgetState: unknown } }).openai;
    if (openai) openai.widgetState = { context: 'reliability', refreshes: 3 };
  });
  await page.reload();
  await expect(page.getByTestId('widget-grid')).toHaveAttribute('data-context', 'reliability');
});

test('MCP Apps bridge host: renders the tool-result notification, follows host context and round-trips tools/call', async ({ page }) => {
  await prepareHost(page);
  await page.route(`${hostOrigin}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: buildMcpAppsHostPage(`${sandboxOrigin}/widget`, dashboard, 'dark') }));
  await page.goto(`${hostOrigin}/chat`);
  const frame = page.frameLocator('#widget');
  await expect(frame.getByTestId('opspilot-widget')).toHaveAttribute('data-host', 'mcp-apps');
  await expect(frame.getByTestId('widget-grid')).toHaveAttribute('data-context', 'main_dashboard');
  await expect(frame.locator('[data-testid^="panel-"]')).toHaveCount(panelCount());
  await expect(frame.locator('html')).toHaveAttribute('data-theme', 'dark');

  await page.evaluate(() => (window as unknown as { __hostSend(message: unknown): void }).__hostSend({ method: 'ui/notifications/host-context-changed', params: { theme: 'light', displayMode: 'fullscreen' } }));
  await expect(frame.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(frame.getByTestId('opspilot-widget')).toHaveAttribute('data-display-mode', 'fullscreen');

  await frame.getByTestId('widget-refresh').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __host: { modelContext: unknown[] } }).__host.modelContext)).toEqual([
    { structuredContent: { widgetState: { context: 'main_dashboard', refreshes: 1 } } },
  ]);
  const received = await page.evaluate(() => (window as unknown as { __host: { received: string[] } }).__host.received);
  expect(received.slice(0, 2)).toEqual(['ui/initialize', 'ui/notifications/initialized']);
  expect(received).toContain('tools/call');
  await expect(frame.getByTestId('widget-grid')).toHaveAttribute('data-context', 'main_dashboard');
});
