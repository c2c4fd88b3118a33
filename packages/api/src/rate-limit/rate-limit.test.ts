import { applyMigrations, openDatabase, type Database } from '@opspilot/db';
import { createPostgresTestDatabase, describePostgres, type TestDatabase } from '@opspilot/db/testing';
import { silentLogger } from '@opspilot/core/ports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '@opspilot/core/ports';
import { asKey, asUser, createTestCaller, createTestRuntime, signUpTestUser } from '../auth/testing';
import { handleRestRequest } from '../rest';
import { appRouter } from '../router';
import { createRuntime, type Runtime } from '../runtime';
import { createPageRenderContext } from '../server';
import { readBoundedRequest } from './http-limits';
import { createDatabaseRateLimiter, createMemoryRateLimiter, type RateLimiter } from './rate-limiter';

function manualClock(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

const rule = { limit: 3, windowMs: 60_000 };

async function expectWindowBehaviour(limiter: RateLimiter, clock: ReturnType<typeof manualClock>) {
  for (let hit = 0; hit < 3; hit += 1) expect((await limiter.hit('key:a', rule)).allowed).toBe(true);
  expect(await limiter.hit('key:a', rule)).toEqual({ allowed: false, retryAfterSeconds: 50 });
  expect((await limiter.hit('key:b', rule)).allowed).toBe(true);
  clock.advance(50_000);
  expect((await limiter.hit('key:a', rule)).allowed).toBe(true);
}

describe('rate limiters', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ mode: 'embedded', dataDir: 'memory://' });
    await applyMigrations(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it('in memory: allows the limit per window, then refuses with the seconds left, per key', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 1, 0, 0, 10));
    await expectWindowBehaviour(createMemoryRateLimiter(clock), clock);
  });

  it('in the database: the same rules through the RateLimitBucket upsert', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 1, 0, 0, 10));
    await expectWindowBehaviour(createDatabaseRateLimiter(db, clock), clock);
  });

  it('in the database: concurrent hits from separate limiters (processes) share one exact count', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 1, 1, 0, 0));
    const limiters = [createDatabaseRateLimiter(db, clock), createDatabaseRateLimiter(db, clock)];
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, index) => (limiters[index % 2] ?? limiters[0]!).hit('ip:shared', { limit: 25, windowMs: 60_000 })),
    );
    expect(decisions.filter((decision) => decision?.allowed).length).toBe(25);
    const bucket = await db.prisma.rateLimitBucket.findUniqueOrThrow({ where: { key: 'ip:shared' } });
    expect(bucket.count).toBe(40);
  });
});

describe('request limits over HTTP', () => {
  let runtime: Runtime;
  let workspaceId: string;
  let secret: string;

  beforeAll(async () => {
    runtime = await createTestRuntime({ limits: { perPrincipalPerMinute: 3, perIpPerMinute: 5, maxBodyBytes: 1024 } });
    const owner = await signUpTestUser(runtime, 'Limited');
    const caller = await createTestCaller(runtime, asUser(owner));
    workspaceId = (await caller.workspace.create({ name: 'Limited' })).id;
    secret = (await caller.apiKey.create({ workspaceId, name: 'k', scopes: ['read'] })).secret;
  });
  afterAll(async () => {
    await runtime.close();
  });

  const get = (path: string, headers: Record<string, string>) =>
    handleRestRequest(new Request(`http://localhost/api${path}`, { headers }), runtime);

  it('answers 429 with Retry-After once a key is over its limit', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let call = 0; call < 4; call += 1) {
      last = await get(`/v1/workspaces/${workspaceId}/members`, asKey(secret));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last?.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });

  it('answers 429 per client address, even without credentials', async () => {
    // Forwarding headers count only behind a trusted proxy.
    process.env.OPSPILOT_TRUST_PROXY = 'true';
    const statuses: number[] = [];
    for (let call = 0; call < 6; call += 1) {
      statuses.push((await get('/v1/health', { 'x-forwarded-for': '203.0.113.9' })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await get('/v1/health', { 'x-forwarded-for': '203.0.113.10' })).status).toBe(200);
  });

  it('refuses a body over the cap with 413, whether or not Content-Length says so', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(2048) });
    const declared = await handleRestRequest(
      new Request(`http://localhost/api/v1/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big }),
      runtime,
    );
    expect(declared.status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let chunk = 0; chunk < 4; chunk += 1) controller.enqueue(new Uint8Array(512));
        controller.close();
      },
    });
    const chunked = new Request('http://localhost/x', { method: 'POST', body: stream, duplex: 'half' });
    const bounded = await readBoundedRequest(chunked, 1024);
    expect(bounded).toBeInstanceOf(Response);
    expect((bounded as Response).status).toBe(413);
    const small = await readBoundedRequest(new Request('http://localhost/x', { method: 'POST', body: 'hello' }), 1024);
    expect(await (small as Request).text()).toBe('hello');
  });
});

describe('server-rendered pages', () => {
  let runtime: Runtime;
  let workspaceId: string;
  let secret: string;

  beforeAll(async () => {
    runtime = await createTestRuntime({ limits: { perPrincipalPerMinute: 3 } });
    const owner = await signUpTestUser(runtime, 'Pages');
    const caller = await createTestCaller(runtime, asUser(owner));
    workspaceId = (await caller.workspace.create({ name: 'Pages' })).id;
    secret = (await caller.apiKey.create({ workspaceId, name: 'k', scopes: ['read'] })).secret;
  });
  afterAll(async () => {
    await runtime.close();
  });

  it('count a page view once, however many procedures it calls, and refuse pages past the limit', async () => {
    const headers = new Headers(asKey(secret));
    for (let page = 0; page < 3; page += 1) {
      const caller = appRouter.createCaller(await createPageRenderContext(headers, runtime));
      // Five procedure calls inside one page render: a page costs one call, like the one fetch it replaces.
      for (let call = 0; call < 5; call += 1) expect((await caller.workspace.list()).map((workspace) => workspace.id)).toEqual([workspaceId]);
    }
    await expect(createPageRenderContext(headers, runtime)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // A plain call (not a page render) is refused too: the page views used the key's whole minute.
    await expect(createTestCaller(runtime, asKey(secret)).then((caller) => caller.workspace.list())).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});

describePostgres('rate limits shared through PostgreSQL (server mode)', () => {
  let database: TestDatabase & { url: string };
  let secondPool: Database;
  const runtimes: Runtime[] = [];

  beforeAll(async () => {
    database = await createPostgresTestDatabase();
    secondPool = await openDatabase({ mode: 'postgres', url: database.url });
  }, 120_000);
  afterAll(async () => {
    for (const runtime of runtimes) await runtime.close();
    await secondPool.close();
    await database.close();
  });

  it('two connection pools (two processes) hitting at once share one exact count', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 1, 2, 0, 0));
    const limiters = [createDatabaseRateLimiter(database, clock), createDatabaseRateLimiter(secondPool, clock)];
    const decisions = await Promise.all(
      Array.from({ length: 60 }, (_, index) => (limiters[index % 2] ?? limiters[0]!).hit('key:busy', { limit: 25, windowMs: 60_000 })),
    );
    expect(decisions.filter((decision) => decision.allowed).length).toBe(25);
    expect((await database.prisma.rateLimitBucket.findUniqueOrThrow({ where: { key: 'key:busy' } })).count).toBe(60);
  });

  it('two web runtimes on one database answer 429 once the key is over its shared limit', async () => {
    const env = { NODE_ENV: 'test' as const, DATABASE_URL: database.url, BETTER_AUTH_SECRET: 'test-secret-'.padEnd(40, 'x') };
    for (let index = 0; index < 2; index += 1) {
      runtimes.push(await createRuntime({ env, seedWhenEmpty: false, logger: silentLogger, printDemoCredentials: false, limits: { perPrincipalPerMinute: 4 } }));
    }
    const [first, second] = runtimes as [Runtime, Runtime];
    expect(first.mode).toBe('postgres');
    const owner = await signUpTestUser(first, 'Shared');
    const caller = await createTestCaller(first, asUser(owner));
    const workspaceId = (await caller.workspace.create({ name: 'Shared' })).id;
    const { secret } = await caller.apiKey.create({ workspaceId, name: 'k', scopes: ['read'] });
    const statuses: number[] = [];
    for (let call = 0; call < 5; call += 1) {
      const runtime = call % 2 === 0 ? first : second;
      const response = await handleRestRequest(
        new Request(`http://localhost/api/v1/workspaces/${workspaceId}/members`, { headers: asKey(secret) }),
        runtime,
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });
});
