import { createHash } from 'node:crypto';
import { AppError } from '../errors';

/** The widget's name; its page lives at {@link widgetPagePath} on the web app. */
export const widgetName = 'mcp-dashboard';
/** Path of the widget page on the web app (the HTML the resource wraps). */
export const widgetPagePath = `/apps/widgets/${widgetName}`;
/** MCP Apps mime type of a widget resource. */
export const mcpAppMimeType = 'text/html;profile=mcp-app';
/** Apps SDK (ChatGPT) mime type of a widget resource. */
export const skybridgeMimeType = 'text/html+skybridge';

/**
 * The widget's `ui://` URI, versioned by a hash of its HTML. Hosts cache tool
 * metadata and widget HTML by URI at connect time, so a new build must get a
 * new URI or connected hosts keep showing the old widget.
 */
export function computeWidgetUri(html: string): string {
  const hash = createHash('sha256').update(html).digest('hex').slice(0, 12);
  return `ui://widget/${widgetName}-${hash}.html`;
}

/** True for a URI produced by {@link computeWidgetUri}. */
export function isWidgetUri(uri: string): boolean {
  return new RegExp(`^ui://widget/${widgetName}-[0-9a-f]{12}\\.html$`).test(uri);
}

export interface WidgetOrigins {
  /** Public base URL of the web app the widget's assets load from (FRONTEND_BASE_URL or APPS_WIDGET_BASE_URL). */
  baseUrl: string;
  /** Extra origins the widget may fetch from (rarely needed: data arrives through the host). */
  connectOrigins?: string[];
}

/** Normalises a base URL to its origin plus path without a trailing slash; refuses non-http(s) URLs. */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new AppError('BAD_REQUEST', `Widget base URL "${baseUrl}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('BAD_REQUEST', `Widget base URL "${baseUrl}" must be http(s)`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The widget resource's `_meta` in both dialects: MCP Apps `ui.*` and the
 * Apps SDK `openai/*` keys, from one set of origins so they cannot disagree.
 */
export function buildWidgetResourceMeta(origins: WidgetOrigins, description: string): Record<string, unknown> {
  const base = normalizeBaseUrl(origins.baseUrl);
  const origin = new URL(base).origin;
  const connect = [origin, ...(origins.connectOrigins ?? [])];
  return {
    ui: {
      csp: { connectDomains: connect, resourceDomains: [origin], frameDomains: [], baseUriDomains: [origin] },
      prefersBorder: true,
      domain: origin,
    },
    'openai/widgetCSP': { connect_domains: connect, resource_domains: [origin], frame_domains: [], redirect_domains: [origin] },
    'openai/widgetPrefersBorder': true,
    'openai/widgetDomain': origin,
    'openai/widgetDescription': description,
  };
}

/**
 * Makes the widget page's HTML work inside a host's sandboxed iframe: a
 * `<base>` first in `<head>` so root-relative assets (`/_next/static/...`),
 * lazy chunks and fetches resolve against the web app, and a bootstrap that
 * keeps Next's router from navigating the iframe (the sandbox's URL is not
 * ours, so history calls carrying a URL are reduced to state-only calls).
 */
export function prepareWidgetHtml(pageHtml: string, baseUrl: string): string {
  const base = normalizeBaseUrl(baseUrl);
  const bootstrap =
    `<base href="${escapeAttribute(base)}/">` +
    `<script>(function(){window.__OPSPILOT_WIDGET_BASE__=${JSON.stringify(base)};` +
    `if(location.origin===${JSON.stringify(new URL(base).origin)})return;` +
    `['pushState','replaceState'].forEach(function(name){var original=history[name].bind(history);` +
    `history[name]=function(state){try{return original(state,'')}catch(error){return undefined}}});})();</script>`;
  const head = /<head[^>]*>/i.exec(pageHtml);
  if (!head) return `<!doctype html><html><head>${bootstrap}</head><body>${pageHtml}</body></html>`;
  const at = head.index + head[0].length;
  return pageHtml.slice(0, at) + bootstrap + pageHtml.slice(at);
}

/** A stand-in page used when the widget page cannot be fetched (so tools/list still answers). */
export function buildFallbackWidgetHtml(reason: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>OpsPilot</title></head><body><p>The OpsPilot widget is unavailable: ${escapeText(reason)}</p></body></html>`;
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}

function escapeText(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
