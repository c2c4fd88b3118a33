import type { Database } from '../client';
import { pageOrder, rowsAfter, type PageRequest } from './keyset-page';

export type StoredApiKeyScope = 'read' | 'write' | 'admin';

/** What may leave the database about a key: never its hash. */
export interface ApiKeySummary {
  id: string;
  workspaceId: string;
  name: string;
  prefix: string;
  scopes: StoredApiKeyScope[];
  createdById: string | null;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const summarySelect = {
  id: true,
  workspaceId: true,
  name: true,
  prefix: true,
  scopes: true,
  createdById: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  createdAt: true,
} as const;

function toSummary(row: Omit<ApiKeySummary, 'scopes'> & { scopes: string[] }): ApiKeySummary {
  return { ...row, scopes: row.scopes.filter(isApiKeyScope) };
}

export function isApiKeyScope(value: string): value is StoredApiKeyScope {
  return value === 'read' || value === 'write' || value === 'admin';
}

export interface InsertApiKeyInput {
  workspaceId: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: StoredApiKeyScope[];
  createdById: string | null;
  expiresAt: Date | null;
}

export async function insertApiKey(db: Database, input: InsertApiKeyInput): Promise<ApiKeySummary> {
  const row = await db.prisma.apiKey.create({ data: input, select: summarySelect });
  return toSummary(row);
}

/** Keys newest first (createdAt, then id, descending), one page at a time. */
export async function listApiKeys(db: Database, workspaceId: string, page: PageRequest): Promise<ApiKeySummary[]> {
  const rows = await db.prisma.apiKey.findMany({
    where: { workspaceId, ...rowsAfter(page.after, 'desc') },
    select: summarySelect,
    orderBy: pageOrder('desc'),
    take: page.limit,
  });
  return rows.map(toSummary);
}

/** Marks a key of this workspace revoked; null when the workspace has no such key. */
export async function revokeApiKey(
  db: Database,
  input: { workspaceId: string; apiKeyId: string; now: Date },
): Promise<ApiKeySummary | null> {
  const updated = await db.prisma.apiKey.updateMany({
    where: { id: input.apiKeyId, workspaceId: input.workspaceId, revokedAt: null },
    data: { revokedAt: input.now },
  });
  const row = await db.prisma.apiKey.findFirst({
    where: { id: input.apiKeyId, workspaceId: input.workspaceId },
    select: summarySelect,
  });
  if (!row || (updated.count === 0 && !row.revokedAt)) return null;
  return toSummary(row);
}

/** The key whose SHA-256 is `hash`, if it is neither revoked nor expired at `now`. */
export async function findUsableApiKeyByHash(db: Database, hash: string, now: Date): Promise<ApiKeySummary | null> {
  const row = await db.prisma.apiKey.findUnique({ where: { hash }, select: summarySelect });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  return toSummary(row);
}

/**
 * Records use of a key at most once per `minimumIntervalMs`, so a busy key
 * does not turn every read into a write.
 */
export async function touchApiKey(
  db: Database,
  input: { apiKeyId: string; now: Date; minimumIntervalMs: number },
): Promise<void> {
  const threshold = new Date(input.now.getTime() - input.minimumIntervalMs);
  await db.prisma.apiKey.updateMany({
    where: { id: input.apiKeyId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: threshold } }] },
    data: { lastUsedAt: input.now },
  });
}
