import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

/** A connected MCP client for one server of one workspace. */
export interface UpstreamConnection {
  client: Client;
  tools: Tool[];
  listedAtMs: number;
  /** Decrypted secret values behind this connection, to redact from any text it produces. */
  secrets: string[];
  close(): Promise<void>;
}

interface PoolEntry {
  version: string;
  connection: Promise<UpstreamConnection>;
}

/**
 * Keeps connected clients per (workspace, server) so a call does not pay the
 * MCP handshake each time. `version` is the record's updatedAt: a changed URL,
 * credential or mode opens a fresh connection. Concurrent opens share one.
 */
export class ConnectionPool {
  private readonly entries = new Map<string, PoolEntry>();

  constructor(private readonly maxConnections: number) {}

  async acquire(key: string, version: string, open: () => Promise<UpstreamConnection>): Promise<UpstreamConnection> {
    const existing = this.entries.get(key);
    if (existing && existing.version === version) {
      this.entries.delete(key);
      this.entries.set(key, existing);
      return existing.connection;
    }
    if (existing) this.closeEntry(existing);
    const connection = open();
    const entry = { version, connection };
    this.entries.set(key, entry);
    connection.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.trim();
    return connection;
  }

  /** Drops a connection, e.g. after its server went away, so the next call reconnects. */
  evict(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.closeEntry(entry);
  }

  async closeAll(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(entries.map(async (entry) => (await entry.connection).close()));
  }

  private trim(): void {
    while (this.entries.size > this.maxConnections) {
      const oldestKey = this.entries.keys().next().value;
      if (oldestKey === undefined) return;
      this.evict(oldestKey);
    }
  }

  private closeEntry(entry: PoolEntry): void {
    entry.connection.then(
      (connection) => connection.close().catch(() => undefined),
      () => undefined,
    );
  }
}
