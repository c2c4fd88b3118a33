import type { Database } from '@opspilot/db';
import type { GuardedFetch } from '@opspilot/core/integrations';
import {
  checkClientIdUrl, ClientMetadataError, clientMetadataLimits, fetchClientMetadataDocument, looksLikeClientIdUrl,
  validateClientMetadataDocument, type ClientMetadata,
} from './oauth-client-metadata';
import { findOAuthClient, saveMetadataClient, type RegisteredClient } from './oauth-store';

export type ClientLookup =
  | { kind: 'found'; client: RegisteredClient }
  | { kind: 'unknown' }
  /** A metadata document that could not be fetched or used: the person sees why; nothing is redirected. */
  | { kind: 'refused'; description: string };

/** Finds the client behind a client_id: a registered `opc_...` row, or the metadata document at a URL. */
export interface ClientDirectory {
  find(db: Database, clientId: string, now: Date): Promise<ClientLookup>;
}

export interface ClientDirectoryOptions {
  fetchDocument: GuardedFetch;
  /** Hosts whose documents may be fetched over plain http (the same hosts the fetch's guard lets through). */
  insecureHosts: readonly string[];
}

type CacheEntry = { expiresAtMs: number; outcome: ClientMetadata | ClientMetadataError };

/**
 * One directory per runtime. Documents are cached per URL until their
 * lifetime ends (Cache-Control max-age clamped to 5 minutes..24 hours;
 * failures for a minute), at most 1,000 URLs (oldest dropped first), and
 * concurrent requests for one URL share one fetch. Each successful fetch
 * refreshes the client's row (name, redirect URIs).
 */
export function createClientDirectory(options: ClientDirectoryOptions): ClientDirectory {
  const cache = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<CacheEntry>>();

  function remember(clientId: string, entry: CacheEntry): CacheEntry {
    cache.delete(clientId);
    cache.set(clientId, entry);
    if (cache.size > clientMetadataLimits.maxCachedDocuments) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    return entry;
  }

  async function load(db: Database, clientId: string, url: URL, nowMs: number): Promise<CacheEntry> {
    try {
      const { document, lifetimeMs } = await fetchClientMetadataDocument(url, options.fetchDocument);
      const metadata = validateClientMetadataDocument(clientId, document);
      await saveMetadataClient(db, metadata);
      return remember(clientId, { expiresAtMs: nowMs + lifetimeMs, outcome: metadata });
    } catch (error) {
      if (!(error instanceof ClientMetadataError)) throw error;
      return remember(clientId, { expiresAtMs: nowMs + clientMetadataLimits.failureCacheMs, outcome: error });
    }
  }

  async function lookUpDocument(db: Database, clientId: string, now: Date): Promise<ClientLookup> {
    let url: URL;
    try {
      url = checkClientIdUrl(clientId, options.insecureHosts);
    } catch (error) {
      if (error instanceof ClientMetadataError) return { kind: 'refused', description: error.message };
      throw error;
    }
    let entry = cache.get(clientId);
    if (!entry || entry.expiresAtMs <= now.getTime()) {
      let pending = inFlight.get(clientId);
      if (!pending) {
        pending = load(db, clientId, url, now.getTime()).finally(() => inFlight.delete(clientId));
        inFlight.set(clientId, pending);
      }
      entry = await pending;
    }
    const { outcome } = entry;
    if (outcome instanceof ClientMetadataError) return { kind: 'refused', description: `${clientId.slice(0, 200)}: ${outcome.message}` };
    return { kind: 'found', client: { clientId, name: outcome.name, redirectUris: outcome.redirectUris, tokenEndpointAuthMethod: 'none', secretHash: null } };
  }

  return {
    async find(db, clientId, now) {
      if (looksLikeClientIdUrl(clientId)) return lookUpDocument(db, clientId, now);
      const client = await findOAuthClient(db, clientId);
      return client ? { kind: 'found', client } : { kind: 'unknown' };
    },
  };
}
