import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '@opspilot/db';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, describePostgres, type TestDatabase } from '@opspilot/db/testing';
import { silentLogger } from '@opspilot/core/ports';
import { createRuntime } from '../../runtime';
import { oauthLifetimes } from './oauth-config';
import { purgeExpiredOAuthState } from './oauth-housekeeping';

const now = new Date('2026-11-20T12:00:00Z');
const minute = 60_000;
const day = 24 * 60 * minute;
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
let counter = 0;
const unique = (label: string) => `${label}-${(counter += 1)}`;

async function insertCode(db: Database, label: string, expiresAt: Date, usedAt: Date | null = null) {
  await db.prisma.oAuthAuthorizationCode.create({
    data: { codeHash: unique(label), clientId: 'opc_test', userId: 'user', workspaceId: 'workspace', scopes: ['read'], redirectUri: 'https://host.example/cb', codeChallenge: 'x', resource: 'https://ops.example/mcp', expiresAt, usedAt },
  });
}

interface TokenSpec { label: string; kind?: 'access' | 'refresh'; expiresAt: Date; usedAt?: Date; revokedAt?: Date }

async function insertGrant(db: Database, grant: { label: string; createdAt: Date; revokedAt?: Date; tokens: TokenSpec[] }) {
  return db.prisma.oAuthGrant.create({
    data: {
      clientId: 'opc_test', userId: 'user', workspaceId: 'workspace', scopes: ['read'], resource: 'https://ops.example/mcp', createdAt: grant.createdAt, revokedAt: grant.revokedAt ?? null,
      tokens: { create: grant.tokens.map((token) => ({ kind: token.kind ?? 'refresh', hash: token.label, expiresAt: token.expiresAt, usedAt: token.usedAt ?? null, revokedAt: token.revokedAt ?? null })) },
    },
    select: { id: true },
  });
}

/** Live and dead rows of every kind; returns the grant ids by name. */
async function populate(db: Database) {
  await insertCode(db, 'code-live', at(4 * minute));
  await insertCode(db, 'code-expired', at(-minute));
  await insertCode(db, 'code-used-expired', at(-minute), at(-2 * minute));
  const live = await insertGrant(db, {
    label: 'live', createdAt: at(-40 * day), tokens: [
      { label: 'live-access-old', kind: 'access', expiresAt: at(-39 * day) },
      { label: 'live-refresh-old', expiresAt: at(-10 * day), usedAt: at(-39 * day) },
      { label: 'live-refresh-rotated', expiresAt: at(10 * day), usedAt: at(-minute) },
      { label: 'live-access', kind: 'access', expiresAt: at(30 * minute) },
      { label: 'live-refresh', expiresAt: at(30 * day) },
    ],
  });
  const expired = await insertGrant(db, { label: 'expired', createdAt: at(-40 * day), tokens: [{ label: 'expired-refresh', expiresAt: at(-10 * day) }] });
  const revokedRecently = await insertGrant(db, {
    label: 'revoked-recently', createdAt: at(-day), revokedAt: at(-minute), tokens: [{ label: 'recent-refresh', expiresAt: at(29 * day), revokedAt: at(-minute) }],
  });
  const revokedLongAgo = await insertGrant(db, {
    label: 'revoked-long-ago', createdAt: at(-oauthLifetimes.refreshTokenMs - day), revokedAt: at(-20 * day), tokens: [],
  });
  return { live: live.id, expired: expired.id, revokedRecently: revokedRecently.id, revokedLongAgo: revokedLongAgo.id };
}

async function remaining(db: Database) {
  const [codes, tokens, grants] = await Promise.all([
    db.prisma.oAuthAuthorizationCode.findMany({ select: { codeHash: true } }),
    db.prisma.oAuthToken.findMany({ select: { hash: true } }),
    db.prisma.oAuthGrant.findMany({ select: { id: true } }),
  ]);
  return { codes: codes.map((row) => row.codeHash.replace(/-\d+$/, '')).sort(), tokens: tokens.map((row) => row.hash).sort(), grants: grants.map((row) => row.id).sort() };
}

function describeHousekeeping(label: string, openDatabase: () => Promise<TestDatabase>) {
  describe(`OAuth housekeeping on ${label}`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await openDatabase();
    }, 180_000);
    afterAll(async () => db?.close());

    it('deletes expired codes, expired or revoked tokens and old grants without a live token; live rows and rotated refresh tokens stay', async () => {
      const grants = await populate(db);
      const result = await purgeExpiredOAuthState(db, { now });
      expect(result).toEqual({ authorizationCodes: 2, tokens: 4, grants: 2 });
      expect(await remaining(db)).toEqual({
        codes: ['code-live'],
        tokens: ['live-access', 'live-refresh', 'live-refresh-rotated'],
        grants: [grants.live, grants.revokedRecently].sort(),
      });
      expect(await purgeExpiredOAuthState(db, { now })).toEqual({ authorizationCodes: 0, tokens: 0, grants: 0 });
    });

    it('works in bounded batches: a backlog larger than one run drains over several runs', async () => {
      for (let index = 0; index < 5; index += 1) await insertCode(db, 'backlog', at(-minute));
      const limits = { batchSize: 2, maximumBatches: 2 };
      expect((await purgeExpiredOAuthState(db, { now, ...limits })).authorizationCodes).toBe(4);
      expect((await purgeExpiredOAuthState(db, { now, ...limits })).authorizationCodes).toBe(1);
      expect((await remaining(db)).codes).toEqual(['code-live']);
    });
  });
}

describeHousekeeping('PGlite', createEmbeddedTestDatabase);

describePostgres('on PostgreSQL', () => {
  describeHousekeeping('PostgreSQL', () => createPostgresTestDatabase());
});

describe('the elected background runner', () => {
  it('runs the housekeeping job: an expired code disappears while a live one stays', async () => {
    const runtime = await createRuntime({
      env: { NODE_ENV: 'test', OPSPILOT_DATA_DIR: 'memory://' }, seedWhenEmpty: false, logger: silentLogger, printDemoCredentials: false,
      runnerTimings: { housekeepingEveryMs: 50 },
    });
    try {
      await insertCode(runtime.db, 'runner-expired', new Date(Date.now() - minute));
      await insertCode(runtime.db, 'runner-live', new Date(Date.now() + 4 * minute));
      expect(await runtime.runner.start()).toBe('leader');
      await vi.waitFor(async () => expect((await remaining(runtime.db)).codes).toEqual(['runner-live']), { timeout: 10_000, interval: 50 });
    } finally {
      await runtime.close();
    }
  }, 60_000);
});
