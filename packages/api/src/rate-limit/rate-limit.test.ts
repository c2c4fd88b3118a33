import { applyMigrations, openDatabase, type Database } from '@opspilot/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '@opspilot/core/ports';
import { asKey, asUser, createTestCaller, createTestRuntime, signUpTestUser } from '../auth/testing';
import { handleRestRequest } from '../rest';
import type { Runtime } from '../runtime';
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
