import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '@opspilot/core/errors';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, describePostgres, type TestDatabase } from '../testing';
import { createSharedGatewayRateLimiter } from './gateway-rate-limit';
import { createToolCallAudit } from './integration-store';

const start = Date.parse('2026-11-26T03:00:00.000Z');

function defineGatewayStateSuite(open: () => Promise<TestDatabase>): void {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await open();
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  const lease = (offsetMs: number) => ({ now: new Date(start + offsetMs), leaseUntil: new Date(start + offsetMs + 10_000) });
  const ref = (key: string, callId: string) => ({ workspaceId: 'ws_1', tool: 'slack__post_message', key, callId });

  it('reserves a key once, shows it pending to others, then done with the stored result', async () => {
    const audit = createToolCallAudit(db);
    expect(await audit.reserveIdempotencyKey({ ...ref('k1', 'call_a'), argsHash: 'h1', ...lease(0) })).toEqual({ state: 'reserved' });
    expect(await audit.reserveIdempotencyKey({ ...ref('k1', 'call_b'), argsHash: 'h1', ...lease(5) })).toMatchObject({ state: 'pending', argsHash: 'h1' });
    expect(await audit.completeIdempotencyKey({ ...ref('k1', 'call_b'), result: { ts: 'wrong' } })).toBe(false);
    expect(await audit.completeIdempotencyKey({ ...ref('k1', 'call_a'), result: { ts: '1.0001' } })).toBe(true);
    expect(await audit.reserveIdempotencyKey({ ...ref('k1', 'call_c'), argsHash: 'h1', ...lease(60_000) })).toEqual({
      state: 'done',
      argsHash: 'h1',
      result: { ts: '1.0001' },
    });
  });

  it('lets a pending key past its lease be taken over with the same arguments only, and frees it on release', async () => {
    const audit = createToolCallAudit(db);
    await audit.reserveIdempotencyKey({ ...ref('k2', 'call_dead'), argsHash: 'h2', ...lease(0) });
    expect(await audit.reserveIdempotencyKey({ ...ref('k2', 'call_other'), argsHash: 'other', ...lease(60_000) })).toMatchObject({ state: 'pending', argsHash: 'h2' });
    expect(await audit.reserveIdempotencyKey({ ...ref('k2', 'call_new'), argsHash: 'h2', ...lease(60_000) })).toEqual({ state: 'reserved' });
    expect(await audit.completeIdempotencyKey({ ...ref('k2', 'call_dead'), result: {} })).toBe(false);
    await audit.releaseIdempotencyKey(ref('k2', 'call_dead'));
    expect(await audit.reserveIdempotencyKey({ ...ref('k2', 'call_x'), argsHash: 'h2', ...lease(61_000) })).toMatchObject({ state: 'pending' });
    await audit.releaseIdempotencyKey(ref('k2', 'call_new'));
    expect(await audit.reserveIdempotencyKey({ ...ref('k2', 'call_retry'), argsHash: 'h2', ...lease(62_000) })).toEqual({ state: 'reserved' });
  });

  it('exactly one of many concurrent reservations of a key wins', async () => {
    const audits = [createToolCallAudit(db), createToolCallAudit(db)];
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        (audits[index % 2] ?? audits[0]!).reserveIdempotencyKey({ ...ref('k3', `call_${index}`), argsHash: 'h3', ...lease(0) }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.state === 'reserved')).toHaveLength(1);
  });

  it('the shared token bucket allows the burst, refuses with a retry hint, refills with time', async () => {
    let nowMs = start;
    const clock = { now: () => new Date(nowMs) };
    const limiter = createSharedGatewayRateLimiter(db, { capacity: 3, refillPerSecond: 1, clock });
    for (let call = 0; call < 3; call += 1) await limiter.consume('ws_bucket');
    const refused = await Promise.resolve(limiter.consume('ws_bucket')).then(() => null, (error: unknown) => error);
    expect(isAppError(refused) && refused.code === 'RATE_LIMITED' && refused.retryAfterSeconds).toBe(1);
    await limiter.consume('ws_other');
    nowMs += 1000;
    await limiter.consume('ws_bucket');
    await expect(Promise.resolve(limiter.consume('ws_bucket'))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('two limiters (processes) racing one bucket hand out exactly its tokens', async () => {
    const clock = { now: () => new Date(start) };
    const limiters = [createSharedGatewayRateLimiter(db, { capacity: 7, refillPerSecond: 0.001, clock }), createSharedGatewayRateLimiter(db, { capacity: 7, refillPerSecond: 0.001, clock })];
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, index) => Promise.resolve((limiters[index % 2] ?? limiters[0]!).consume('ws_race')).then(() => 'ok', () => 'limited')),
    );
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(7);
  });
}

describe('gateway idempotency keys and rate bucket on PGlite', () => defineGatewayStateSuite(createEmbeddedTestDatabase));
describePostgres('gateway idempotency keys and rate bucket on PostgreSQL', () => defineGatewayStateSuite(createPostgresTestDatabase));
