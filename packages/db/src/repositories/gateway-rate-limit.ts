import { rateLimitedError, type RateLimiter, type RateLimitRule } from '@opspilot/core/integrations';
import type { Clock } from '@opspilot/core/ports';
import type { Database } from '../client';

/**
 * One token-bucket step in one statement: refill by the time since the last
 * call (never beyond capacity), take a token if one is there, and say whether
 * it was taken. The row lock of the upsert serialises racing processes.
 */
const consumeSql = `INSERT INTO "GatewayRateBucket" AS bucket ("key", "tokens", "updatedAtMs", "granted")
VALUES ($1, $2::float8 - 1, $3::float8, true)
ON CONFLICT ("key") DO UPDATE SET
  "tokens" = LEAST($2::float8, bucket."tokens" + GREATEST(0, $3::float8 - bucket."updatedAtMs") / 1000.0 * $4::float8)
    - CASE WHEN LEAST($2::float8, bucket."tokens" + GREATEST(0, $3::float8 - bucket."updatedAtMs") / 1000.0 * $4::float8) >= 1 THEN 1 ELSE 0 END,
  "granted" = LEAST($2::float8, bucket."tokens" + GREATEST(0, $3::float8 - bucket."updatedAtMs") / 1000.0 * $4::float8) >= 1,
  "updatedAtMs" = GREATEST(bucket."updatedAtMs", $3::float8)
RETURNING "tokens", "granted"`;

/**
 * The gateway's per-workspace token bucket in the GatewayRateBucket table, so
 * every process on one PostgreSQL database draws from the same tokens. Same
 * rule and error as the in-memory bucket; one round trip per call.
 */
export function createSharedGatewayRateLimiter(db: Database, options: RateLimitRule & { clock: Clock }): RateLimiter {
  if (options.capacity < 1 || options.refillPerSecond <= 0) throw new Error('A gateway rate limit needs capacity >= 1 and a positive refill rate');
  return {
    async consume(key) {
      const nowMs = options.clock.now().getTime();
      const [row] = await db.query<{ tokens: number | string; granted: boolean }>(consumeSql, [
        `gateway:${key}`,
        options.capacity,
        nowMs,
        options.refillPerSecond,
      ]);
      if (row && !row.granted) throw rateLimitedError(key, Number(row.tokens), options.refillPerSecond);
    },
  };
}
