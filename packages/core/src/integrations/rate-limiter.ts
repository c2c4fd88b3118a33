import { AppError } from '../errors';
import type { Clock } from '../ports';

/**
 * Decides whether a workspace may make one more tool call now. In memory for
 * one process (embedded PGlite); on PostgreSQL one shared bucket row, so every
 * process draws from the same tokens (`@opspilot/db`, docs/decisions/0015).
 */
export interface RateLimiter {
  /** Takes one token or throws `RATE_LIMITED` with `retryAfterSeconds`. */
  consume(key: string): void | Promise<void>;
}

/** Burst size and sustained rate of a token bucket. */
export interface RateLimitRule {
  /** Burst size: calls allowed back to back. */
  capacity: number;
  /** Sustained rate. */
  refillPerSecond: number;
}

/** The gateway's default: 60 calls back to back, 10 per second sustained, per workspace. */
export const defaultGatewayRateLimit: RateLimitRule = { capacity: 60, refillPerSecond: 10 };

/** The error a refused call gets; `tokens` is what the bucket holds now (below one). */
export function rateLimitedError(key: string, tokens: number, refillPerSecond: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((1 - tokens) / refillPerSecond));
  return new AppError('RATE_LIMITED', `Workspace ${key} exceeded its tool call rate limit`, { retryAfterSeconds });
}

export interface TokenBucketOptions extends RateLimitRule {
  clock: Clock;
  /** Buckets kept in memory before the least recently used is dropped. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

/** A limiter that decides synchronously, in this process. */
export interface InProcessRateLimiter extends RateLimiter {
  consume(key: string): void;
}

/**
 * In-process token bucket per key, for a single process (embedded mode). With
 * several processes on PostgreSQL the api wires the shared bucket instead.
 */
export function createTokenBucketRateLimiter(options: TokenBucketOptions): InProcessRateLimiter {
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
      if (bucket.tokens < 1) throw rateLimitedError(key, bucket.tokens, options.refillPerSecond);
      bucket.tokens -= 1;
    },
  };
}
