import { buildFallbackWidgetHtml, computeWidgetUri, describeUiToolResult, normalizeBaseUrl, prepareWidgetHtml, widgetPagePath } from '@opspilot/core/apps';

/** The widget's HTML as resources/read returns it, and its content-hashed URI. */
export interface WidgetTemplate {
  uri: string;
  html: string;
  baseUrl: string;
}

/** Where the endpoint gets the widget HTML from (the web app's page in production, a fixed page in tests). */
export interface WidgetSource {
  load(baseUrl: string): Promise<WidgetTemplate>;
}

/** A fixed page, for tests and for hosts that ship the HTML some other way. */
export function createStaticWidgetSource(pageHtml: string): WidgetSource {
  return {
    load: (baseUrl) => {
      const html = prepareWidgetHtml(pageHtml, baseUrl);
      return Promise.resolve({ uri: computeWidgetUri(html), html, baseUrl });
    },
  };
}

export interface FetchedWidgetSourceOptions {
  /** Cache lifetime per base URL; a new build is picked up after it. Default 5 minutes. */
  ttlMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * Fetches the widget page (`/apps/widgets/mcp-dashboard`) from the web app
 * once per base URL and TTL and wraps it for the host's iframe. The page is
 * static, so every process of one build computes the same hash and URI;
 * a failed fetch serves a stand-in page (retried on the next request) so
 * tools/list keeps answering.
 */
export function createFetchedWidgetSource(options: FetchedWidgetSourceOptions = {}): WidgetSource {
  const ttlMs = options.ttlMs ?? 300_000;
  const fetchPage = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { template: Promise<WidgetTemplate>; until: number }>();
  const loadFresh = async (baseUrl: string): Promise<WidgetTemplate> => {
    const response = await fetchPage(new URL(widgetPagePath, `${baseUrl}/`), { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`GET ${widgetPagePath} answered ${response.status}`);
    const html = prepareWidgetHtml(await response.text(), baseUrl);
    return { uri: computeWidgetUri(html), html, baseUrl };
  };
  return {
    load: async (baseUrl) => {
      const cached = cache.get(baseUrl);
      if (cached && cached.until > now()) return cached.template;
      const template = loadFresh(baseUrl);
      cache.set(baseUrl, { template, until: now() + ttlMs });
      try {
        return await template;
      } catch (error) {
        cache.delete(baseUrl);
        const html = buildFallbackWidgetHtml(error instanceof Error ? error.message : 'fetch failed');
        return { uri: computeWidgetUri(html), html, baseUrl };
      }
    },
  };
}

/** The process's widget source: the /mcp route and chat share it, so both name the same URI. */
export const sharedWidgetSource: WidgetSource = createFetchedWidgetSource();

/**
 * For chat: the `_meta` a `tool-result` event of an OpsPilot UI tool should
 * carry (the same `ui.resourceUri` / `openai/outputTemplate` the MCP
 * endpoint publishes), or null for tools without a widget.
 * `baseUrl` is the web app's public origin (FRONTEND_BASE_URL).
 */
export async function describeChatToolResult(toolName: string, baseUrl: string): Promise<Record<string, unknown> | null> {
  if (describeUiToolResult(toolName, 'ui://widget/probe.html') === null) return null;
  const widget = await sharedWidgetSource.load(normalizeBaseUrl(baseUrl));
  return describeUiToolResult(toolName, widget.uri);
}
