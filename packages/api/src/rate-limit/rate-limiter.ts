import type { Clock } from '@opspilot/core/ports';
import { deleteStaleRateLimitBuckets, incrementRateLimitBucket, type Database } from '@opspilot/db';

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export type RateLimitDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/** Fixed-window counters keyed by caller (`ip:<address>`, `key:<id>`, `user:<id>`). */
export interface RateLimiter {
  hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
}

function windowStartOf(now: Date, windowMs: number): number {
  return Math.floor(now.getTime() / windowMs) * windowMs;
}

function decide(count: number, rule: RateLimitRule, windowStart: number, now: Date): RateLimitDecision {
  if (count <= rule.limit) return { allowed: true, remaining: rule.limit - count };
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + rule.windowMs - now.getTime()) / 1000));
  return { allowed: false, retryAfterSeconds };
}

/** Embedded mode: one process owns the database, so counters can live in memory. */
export function createMemoryRateLimiter(clock: Clock, maximumKeys = 50_000): RateLimiter {
  const buckets = new Map<string, { windowStart: number; count: number }>();
  return {
    hit: (key, rule) => {
      const now = clock.now();
      const windowStart = windowStartOf(now, rule.windowMs);
      const bucket = buckets.get(key);
      const count = bucket && bucket.windowStart === windowStart ? bucket.count + 1 : 1;
      if (!bucket && buckets.size >= maximumKeys) pruneBuckets(buckets, windowStart);
      buckets.set(key, { windowStart, count });
      return Promise.resolve(decide(count, rule, windowStart, now));
    },
  };
}

function pruneBuckets(buckets: Map<string, { windowStart: number }>, currentWindowStart: number): void {
  for (const [key, bucket] of buckets) if (bucket.windowStart < currentWindowStart) buckets.delete(key);
  // Still full of live keys: drop the oldest insertion rather than grow without bound.
  if (buckets.size > 0 && buckets.size >= 50_000) {
    const oldest = buckets.keys().next().value;
    if (oldest !== undefined) buckets.delete(oldest);
  }
}

/**
 * Server mode: every web process counts in the RateLimitBucket table with one
 * atomic upsert per hit, so N processes share one limit. Stale buckets are
 * swept now and then by whichever process happens to hit the sweep.
 */
export function createDatabaseRateLimiter(db: Database, clock: Clock, sweepEvery = 1000): RateLimiter {
  let hits = 0;
  return {
    hit: async (key, rule) => {
      const now = clock.now();
      const windowStart = windowStartOf(now, rule.windowMs);
      const count = await incrementRateLimitBucket(db, { key, windowStart: new Date(windowStart) });
      hits += 1;
      if (hits % sweepEvery === 0) {
        await deleteStaleRateLimitBuckets(db, new Date(windowStart - rule.windowMs));
      }
      return decide(count, rule, windowStart, now);
    },
  };
}
