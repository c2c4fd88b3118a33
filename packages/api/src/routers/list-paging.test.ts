import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresTestDatabase, describePostgres } from '@opspilot/db/testing';
import { asUser, callRest, createTestCaller, createTestRuntime, signUpTestUser, type TestUser } from '../auth/testing';
import type { Runtime } from '../runtime';

// Settings' "Load more": every list pages through (createdAt, id) cursors with no duplicate and no gap,
// also when many rows share one createdAt, and a cursor that is not one refuses with 400 naming the field.
const rowCount = 120;
const base = Date.parse('2026-11-01T00:00:00Z');
/** Four rows per millisecond, so most of a page boundary falls between ties that only the id orders. */
const createdAtOf = (index: number) => new Date(base + Math.floor(index / 4));

type Page<Item> = { items: Item[]; nextCursor: string | null };

/** Reads every page; stops with a failure instead of looping if a cursor repeats. */
async function readAll<Item>(readPage: (cursor: string | undefined) => Promise<Page<Item>>): Promise<{ items: Item[]; pages: number }> {
  const items: Item[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 1; ; pages += 1) {
    const page = await readPage(cursor);
    items.push(...page.items);
    if (page.nextCursor === null) return { items, pages };
    expect(seen.has(page.nextCursor)).toBe(false);
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
  }
}

const byCreatedAtThenId = (direction: 1 | -1) => (left: { createdAt: Date; id: string }, right: { createdAt: Date; id: string }) =>
  direction * (left.createdAt.getTime() - right.createdAt.getTime() || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
const badRequestOn = (field: string) => (error: unknown) =>
  error instanceof TRPCError && error.code === 'BAD_REQUEST' && error.message.includes(field);

/** An owner, their admin key, and 120 members, keys and invitations, four per millisecond. */
async function seedWorkspace(runtime: Runtime) {
  const owner = await signUpTestUser(runtime, 'Owner');
  const caller = await createTestCaller(runtime, asUser(owner));
  const workspaceId = (await caller.workspace.create({ name: 'Paging' })).id;
  const ownerKey = (await caller.apiKey.create({ workspaceId, name: 'paging admin', scopes: ['admin'] })).secret;
  await runtime.db.prisma.apiKey.updateMany({ where: { workspaceId }, data: { createdAt: new Date(base - 1) } });
  const users = Array.from({ length: rowCount }, (_, index) => ({ id: `paging-user-${index}`, name: `Person ${index}`, email: `person-${index}@paging.example` }));
  await runtime.db.prisma.user.createMany({ data: users });
  await runtime.db.prisma.membership.createMany({
    data: users.map((user, index) => ({ workspaceId, userId: user.id, role: 'viewer' as const, createdAt: createdAtOf(index) })),
  });
  await runtime.db.prisma.apiKey.createMany({
    data: Array.from({ length: rowCount }, (_, index) => ({
      workspaceId, name: `Key ${index}`, prefix: `opk_p${index}`, hash: `paging-hash-${index}`, scopes: ['read'], createdAt: createdAtOf(index),
    })),
  });
  await runtime.db.prisma.invitation.createMany({
    data: Array.from({ length: rowCount }, (_, index) => ({
      workspaceId, email: `invitee-${index}@paging.example`, role: 'member' as const, tokenHash: `paging-token-${index}`,
      // Every third is accepted, so the pending filter pages over a list with holes.
      status: index % 3 === 0 ? ('accepted' as const) : ('pending' as const),
      expiresAt: new Date(Date.now() + 7 * 24 * 60 * 60 * 1000), createdAt: createdAtOf(index),
    })),
  });
  return { owner, workspaceId, ownerKey };
}

function definePagingSuite(openRuntime: () => Promise<{ runtime: Runtime; close: () => Promise<void> }>) {
  let runtime: Runtime;
  let close: () => Promise<void>;
  let owner: TestUser;
  let workspaceId: string;
  let ownerKey: string;

  beforeAll(async () => {
    ({ runtime, close } = await openRuntime());
    ({ owner, workspaceId, ownerKey } = await seedWorkspace(runtime));
  }, 120_000);

  afterAll(async () => {
    await close?.();
  });

  it('pages through 121 members in join order, 7 at a time, with no duplicate and no gap', async () => {
    const caller = await createTestCaller(runtime, asUser(owner));
    const { items, pages } = await readAll((cursor) => caller.member.list({ workspaceId, limit: 7, ...(cursor ? { cursor } : {}) }));
    const expected = (await runtime.db.prisma.membership.findMany({ where: { workspaceId }, select: { id: true, createdAt: true } })).sort(byCreatedAtThenId(1));
    expect(expected).toHaveLength(rowCount + 1);
    expect(items.map((member) => member.id)).toEqual(expected.map((member) => member.id));
    expect(new Set(items.map((member) => member.id)).size).toBe(items.length);
    expect(pages).toBe(Math.ceil((rowCount + 1) / 7));
  });

  it('pages through 121 API keys newest first (ties by id), and the last page has no nextCursor', async () => {
    const caller = await createTestCaller(runtime, asUser(owner));
    const { items } = await readAll((cursor) => caller.apiKey.list({ workspaceId, limit: 50, ...(cursor ? { cursor } : {}) }));
    const expected = (await runtime.db.prisma.apiKey.findMany({ where: { workspaceId }, select: { id: true, createdAt: true } })).sort(byCreatedAtThenId(-1));
    expect(items.map((key) => key.id)).toEqual(expected.map((key) => key.id));
    const exact = await caller.apiKey.list({ workspaceId, limit: 100 });
    expect((await caller.apiKey.list({ workspaceId, limit: 21, cursor: exact.nextCursor ?? '' })).nextCursor).toBeNull();
  });

  it('pages through pending invitations only, skipping accepted ones, with no duplicate and no gap', async () => {
    const caller = await createTestCaller(runtime, asUser(owner));
    const { items } = await readAll((cursor) => caller.invitation.list({ workspaceId, status: 'pending', limit: 9, ...(cursor ? { cursor } : {}) }));
    expect(items.every((invitation) => invitation.status === 'pending')).toBe(true);
    const expected = (await runtime.db.prisma.invitation.findMany({ where: { workspaceId, status: 'pending' }, select: { id: true, createdAt: true } })).sort(byCreatedAtThenId(-1));
    expect(expected).toHaveLength(rowCount - rowCount / 3);
    expect(items.map((invitation) => invitation.id)).toEqual(expected.map((invitation) => invitation.id));
  });

  it('keeps its place when the row a cursor points at is removed between two pages', async () => {
    const caller = await createTestCaller(runtime, asUser(owner));
    const first = await caller.member.list({ workspaceId, limit: 10 });
    const last = first.items.at(-1);
    if (!last || !first.nextCursor) throw new Error('expected a full first page');
    await caller.member.remove({ workspaceId, memberId: last.id });
    const second = await caller.member.list({ workspaceId, limit: 10, cursor: first.nextCursor });
    const expected = (await runtime.db.prisma.membership.findMany({ where: { workspaceId }, select: { id: true, createdAt: true } })).sort(byCreatedAtThenId(1));
    expect(second.items.map((member) => member.id)).toEqual(expected.slice(9, 19).map((member) => member.id));
  });

  it('refuses a cursor it did not hand out with BAD_REQUEST naming the cursor field, over tRPC and REST', async () => {
    const caller = await createTestCaller(runtime, asUser(owner));
    const page = await caller.member.list({ workspaceId, limit: 2 });
    const forged = [page.items[0]?.id ?? 'an-id', 'garbage', 'not-a-date|abc', `${new Date(base).toISOString()}|`, `${new Date(base).toISOString()}|bad id!`];
    for (const cursor of forged) {
      await expect(caller.member.list({ workspaceId, cursor })).rejects.toSatisfy(badRequestOn('cursor'));
      await expect(caller.apiKey.list({ workspaceId, cursor })).rejects.toSatisfy(badRequestOn('cursor'));
      await expect(caller.invitation.list({ workspaceId, cursor })).rejects.toSatisfy(badRequestOn('cursor'));
      await expect(caller.oauthApps.list({ workspaceId, cursor })).rejects.toSatisfy(badRequestOn('cursor'));
    }
    const response = await callRest(runtime, { method: 'GET', path: `/v1/workspaces/${workspaceId}/members?cursor=garbage`, key: ownerKey });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; data: { issues: { path: string }[] } };
    expect(body.message).toContain('cursor');
    expect(body.data.issues.map((issue) => issue.path)).toEqual(['cursor']);
  });

  it('keeps the page size within 1 to 100 (zod), so a client cannot ask for the whole table', async () => {
    const caller = await createTestCaller(runtime, asUser(owner));
    await expect(caller.member.list({ workspaceId, limit: 101 })).rejects.toSatisfy(badRequestOn('limit'));
    await expect(caller.apiKey.list({ workspaceId, limit: 0 })).rejects.toSatisfy(badRequestOn('limit'));
    const response = await callRest(runtime, { method: 'GET', path: `/v1/workspaces/${workspaceId}/api-keys?limit=500`, key: ownerKey });
    expect(response.status).toBe(400);
    // A sentence naming the field, not zod's issues as JSON (those stay in data.issues).
    const body = (await response.json()) as { message: string; data: { issues: { path: string }[] } };
    expect(body.message).toMatch(/^Invalid input: limit: .*100/);
    expect(body.data.issues.map((issue) => issue.path)).toEqual(['limit']);
    const notANumber = await callRest(runtime, { method: 'GET', path: `/v1/workspaces/${workspaceId}/api-keys?limit=abc`, key: ownerKey });
    expect(((await notANumber.json()) as { message: string }).message).toBe('Invalid input: limit: expected number, received NaN');
  });
}

describe('cursor paging of the Settings lists on PGlite', () => {
  definePagingSuite(async () => {
    const runtime = await createTestRuntime();
    return { runtime, close: () => runtime.close() };
  });
});

describePostgres('cursor paging of the Settings lists on PostgreSQL', () => {
  definePagingSuite(async () => {
    const database = await createPostgresTestDatabase();
    const runtime = await createTestRuntime({ env: { DATABASE_URL: database.url } });
    return { runtime, close: async () => { await runtime.close(); await database.close(); } };
  });
});
