import { z } from 'zod';
import type { GuardedFetch } from '@opspilot/core/integrations';
import { readBoundedBody } from '../../rate-limit/http-limits';
import { isAcceptableRedirectUri } from './oauth-redirect-uris';

/**
 * OAuth Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document,
 * the MCP 2025-11-25 preferred registration): the client_id is an https URL
 * and the JSON document behind it is the client's registration. See
 * docs/decisions/0010-mcp-oauth.md.
 */

export const clientMetadataLimits = {
  /** The draft suggests 5 kB; real documents are a few hundred bytes. */
  maxBytes: 5_120,
  timeoutMs: 5_000,
  /** Cache bounds around the document's own Cache-Control max-age. */
  minCacheMs: 5 * 60_000,
  defaultCacheMs: 60 * 60_000,
  maxCacheMs: 24 * 60 * 60_000,
  /** A failed fetch is remembered this long, so a flood of authorize requests is one outbound call. */
  failureCacheMs: 60_000,
  maxCachedDocuments: 1_000,
  maxUrlLength: 2_000,
} as const;

/** A client_id that names a metadata document rather than a dynamically registered client (`opc_...`). */
export function looksLikeClientIdUrl(clientId: string): boolean {
  return /^https?:\/\//i.test(clientId);
}

/** Why a document cannot be used; shown to the person, never sent to an unverified redirect URI. */
export class ClientMetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientMetadataError';
  }
}

/**
 * The client_id URL rules: https (plain http only for hosts the operator
 * allow-listed, i.e. local development and tests), a path other than `/`,
 * no `.`/`..` segments, no fragment, no credentials.
 */
export function checkClientIdUrl(clientId: string, insecureHosts: readonly string[]): URL {
  if (clientId.length > clientMetadataLimits.maxUrlLength) throw new ClientMetadataError('The client_id URL is too long.');
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    throw new ClientMetadataError('The client_id is not a valid URL.');
  }
  const insecureAllowed = url.protocol === 'http:' && insecureHosts.includes(url.hostname.replace(/^\[|\]$/g, ''));
  if (url.protocol !== 'https:' && !insecureAllowed) throw new ClientMetadataError('A client_id URL must use https.');
  const rawPath = clientId.replace(/^[a-z]+:\/\/[^/?#]*/i, '').split(/[?#]/)[0] ?? '';
  if (rawPath === '' || rawPath === '/') throw new ClientMetadataError('A client_id URL must have a path (it names the metadata document).');
  if (rawPath.split('/').some((segment) => segment === '.' || segment === '..')) throw new ClientMetadataError('A client_id URL must not contain . or .. segments.');
  if (clientId.includes('#') || url.username || url.password) throw new ClientMetadataError('A client_id URL must not carry a fragment or credentials.');
  return url;
}

const ClientMetadataDocument = z.object({
  client_id: z.string(),
  client_name: z.string().trim().min(1).max(200).optional(),
  redirect_uris: z.array(z.string().max(2_000)).min(1).max(10),
  token_endpoint_auth_method: z.string().optional(),
  grant_types: z.array(z.string()).max(10).optional(),
  response_types: z.array(z.string()).max(10).optional(),
  client_secret: z.unknown().optional(),
  client_secret_expires_at: z.unknown().optional(),
});

/** What the authorization server keeps of a valid document. */
export interface ClientMetadata {
  clientId: string;
  name: string;
  redirectUris: string[];
}

/** Validates a parsed document against the URL it was fetched from (simple string comparison, no normalization). */
export function validateClientMetadataDocument(clientId: string, document: unknown): ClientMetadata {
  const parsed = ClientMetadataDocument.safeParse(document);
  if (!parsed.success) throw new ClientMetadataError('The metadata document must be a JSON object with client_id and 1 to 10 redirect_uris.');
  const metadata = parsed.data;
  if (metadata.client_id !== clientId) throw new ClientMetadataError(`The metadata document's client_id (${metadata.client_id.slice(0, 200)}) is not the URL it was fetched from.`);
  if (metadata.client_secret !== undefined || metadata.client_secret_expires_at !== undefined) throw new ClientMetadataError('A metadata document must not contain a client secret.');
  if ((metadata.token_endpoint_auth_method ?? 'none') !== 'none') throw new ClientMetadataError('A metadata document client must use token_endpoint_auth_method "none" (PKCE).');
  const grantTypes = metadata.grant_types ?? ['authorization_code'];
  if (!grantTypes.includes('authorization_code') || grantTypes.some((type) => type !== 'authorization_code' && type !== 'refresh_token')) {
    throw new ClientMetadataError('grant_types may only be authorization_code and refresh_token.');
  }
  if (metadata.response_types?.some((type) => type !== 'code')) throw new ClientMetadataError('response_types may only be code.');
  const refused = metadata.redirect_uris.find((uri) => !isAcceptableRedirectUri(uri));
  if (refused !== undefined) throw new ClientMetadataError(`The redirect URI ${refused.slice(0, 200)} is not allowed (https, http on loopback, or an app's own scheme; no fragment).`);
  const url = new URL(clientId);
  return { clientId, name: metadata.client_name ?? url.host, redirectUris: metadata.redirect_uris };
}

/** Reads at most `maxBytes` of the body, cancelling the stream past it. */
async function readCappedText(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const body = await readBoundedBody(response.headers, response.body as ReadableStream<Uint8Array>, maxBytes);
  if (body === null) throw new ClientMetadataError(`The metadata document is larger than ${maxBytes} bytes.`);
  return new TextDecoder().decode(body);
}

/** How long a document may be reused: its max-age, clamped; `no-store`/`no-cache` give the minimum. */
export function cacheLifetimeMs(cacheControl: string | null): number {
  const { minCacheMs, defaultCacheMs, maxCacheMs } = clientMetadataLimits;
  if (!cacheControl) return defaultCacheMs;
  if (/\b(no-store|no-cache)\b/i.test(cacheControl)) return minCacheMs;
  const maxAge = /\bmax-age=(\d+)/i.exec(cacheControl)?.[1];
  if (maxAge === undefined) return defaultCacheMs;
  return Math.min(maxCacheMs, Math.max(minCacheMs, Number(maxAge) * 1000));
}

/**
 * GETs the document through the SSRF-guarded fetch (private and reserved
 * addresses refused at connect time, no redirects followed), with a timeout
 * and a size cap; only a 200 with a JSON body counts.
 */
export async function fetchClientMetadataDocument(url: URL, fetchDocument: GuardedFetch): Promise<{ document: unknown; lifetimeMs: number }> {
  let response: Response;
  try {
    response = await fetchDocument(url.toString(), { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(clientMetadataLimits.timeoutMs) });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? 'it did not answer in time' : error instanceof Error ? error.message : 'the request failed';
    throw new ClientMetadataError(`The metadata document could not be fetched: ${reason}.`);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new ClientMetadataError(`The metadata document answered ${response.status}, not 200.`);
  }
  let text: string;
  try {
    text = await readCappedText(response, clientMetadataLimits.maxBytes);
  } catch (error) {
    // The timeout also covers the body: a server that trickles bytes is cut off like one that never answers.
    if (error instanceof ClientMetadataError) throw error;
    throw new ClientMetadataError('The metadata document could not be read in time.');
  }
  try {
    return { document: JSON.parse(text) as unknown, lifetimeMs: cacheLifetimeMs(response.headers.get('cache-control')) };
  } catch {
    throw new ClientMetadataError('The metadata document is not JSON.');
  }
}
