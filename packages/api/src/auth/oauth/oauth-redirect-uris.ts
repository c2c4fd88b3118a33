/**
 * Which redirect URIs a client may register (dynamic registration or a
 * Client ID Metadata Document) and how a requested one is matched: web
 * (https), native apps on loopback (RFC 8252 7.3) and native apps with a
 * private-use URI scheme (RFC 8252 7.1, e.g. `cursor://...`).
 */

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Loopback IP literals: RFC 8252 7.3 has the server accept any port for these (the app picks a free one at run time). */
const loopbackAddresses = new Set(['127.0.0.1', '[::1]']);

/**
 * Schemes that are not an app's own: script and data URLs run in our page,
 * file and browser-internal ones reach the person's machine or browser,
 * and the rest belong to other programs (mail, phone, Android intents).
 */
const refusedSchemes = new Set([
  'javascript:', 'data:', 'file:', 'vbscript:', 'about:', 'blob:', 'filesystem:', 'view-source:', 'ws:', 'wss:', 'ftp:',
  'mailto:', 'tel:', 'sms:', 'intent:', 'chrome:', 'chrome-extension:', 'moz-extension:', 'edge:', 'opera:', 'resource:',
]);
const schemePattern = /^[a-z][a-z0-9+.-]*:$/;

export type RedirectKind = 'web' | 'loopback' | 'app';

function parse(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** The kind of an acceptable redirect URI, or null when it may not be registered. */
export function classifyRedirectUri(value: string): RedirectKind | null {
  const url = parse(value);
  // A fragment cannot carry the response (RFC 6749 3.1.2); credentials in a URI are never legitimate here.
  if (!url || url.hash || value.includes('#') || url.username || url.password) return null;
  if (url.protocol === 'https:') return url.hostname ? 'web' : null;
  if (url.protocol === 'http:') return loopbackNames.has(url.hostname) ? 'loopback' : null;
  if (!schemePattern.test(url.protocol) || refusedSchemes.has(url.protocol)) return null;
  // Something must follow the scheme for the app to route the response.
  return value.length > url.protocol.length + 1 ? 'app' : null;
}

export const isAcceptableRedirectUri = (value: string): boolean => classifyRedirectUri(value) !== null;

function isLoopbackAddressUri(url: URL): boolean {
  return url.protocol === 'http:' && loopbackAddresses.has(url.hostname);
}

/**
 * True when `requested` is one of the registered URIs: exactly, or, for
 * `http://127.0.0.1` and `http://[::1]`, the same address, path and query on
 * any port (RFC 8252 7.3). `localhost` is matched exactly (RFC 8252 8.3
 * advises against it; it may resolve elsewhere).
 */
export function matchesRegisteredRedirectUri(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  const wanted = parse(requested);
  if (!wanted || !isLoopbackAddressUri(wanted) || wanted.hash || wanted.username || wanted.password) return false;
  return registered.some((candidate) => {
    const url = parse(candidate);
    return url !== null && isLoopbackAddressUri(url) && url.hostname === wanted.hostname && url.pathname === wanted.pathname && url.search === wanted.search;
  });
}

/** What the consent page says the person returns to: a web host, a local app's port, or an app's own scheme. */
export interface RedirectTarget {
  kind: RedirectKind;
  /** The host for web redirects, `127.0.0.1:53682` for loopback, `cursor:` for an app scheme. */
  label: string;
  scheme: string;
}

export function describeRedirectTarget(redirectUri: string): RedirectTarget {
  const url = new URL(redirectUri);
  const kind = classifyRedirectUri(redirectUri) ?? 'web';
  return { kind, label: kind === 'app' ? url.protocol : url.host, scheme: url.protocol.slice(0, -1) };
}

/** A readable default name for a client that sent none: the web host, or the app's scheme. */
export function defaultClientName(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.host || url.protocol.slice(0, -1);
}
