import { AppError } from '../errors';
import type { Clock } from '../ports';

/** Decides whether a workspace may make one more tool call now. */
export interface RateLimiter {
  /** Takes one token or throws `RATE_LIMITED` with `retryAfterSeconds`. */
  consume(key: string): void;
}

export interface TokenBucketOptions {
  /** Burst size: calls allowed back to back. */
  capacity: number;
  /** Sustained rate. */
  refillPerSecond: number;
  clock: Clock;
  /** Buckets kept in memory before the least recently used is dropped. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

/**
 * In-process token bucket per key. Each process enforces its own bucket, so N
 * web processes allow up to N times the rate; see docs/decisions/0004.
 */
export function createTokenBucketRateLimiter(options: TokenBucketOptions): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const maxKeys = options.maxKeys ?? 10_000;
  return {
    consume(key) {
      const nowMs = options.clock.now().getTime();
      const bucket = buckets.get(key) ?? { tokens: options.capacity, updatedAtMs: nowMs };
      const elapsedSeconds = Math.max(0, nowMs - bucket.updatedAtMs) / 1000;
      bucket.tokens = Math.min(options.capacity, bucket.tokens + elapsedSeconds * options.refillPerSecond);
      bucket.updatedAtMs = nowMs;
      buckets.delete(key);
      buckets.set(key, bucket);
      if (buckets.size > maxKeys) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
      if (bucket.tokens < 1) {
        const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / options.refillPerSecond));
        throw new AppError('RATE_LIMITED', `Workspace ${key} exceeded its tool call rate limit`, { retryAfterSeconds });
      }
      bucket.tokens -= 1;
    },
  };
}
