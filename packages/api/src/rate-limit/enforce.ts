import { TRPCError } from '@trpc/server';
import type { Context } from '../context';

const minute = 60_000;

/**
 * Counts one call against the caller's key or user and its address; throws
 * TOO_MANY_REQUESTS (HTTP 429) with Retry-After set on the response when
 * either is over its limit. Calls without a known address (in-process
 * callers, or no proxy header) are limited by principal only, since one shared
 * "unknown" bucket would let one client starve everyone.
 */
export async function enforceRateLimit(ctx: Context): Promise<void> {
  if (ctx.rateLimitCharged) return;
  const limits = ctx.runtime.limits;
  const principal = ctx.principal;
  const checks: { key: string; limit: number }[] = [];
  if (principal?.kind === 'apiKey') checks.push({ key: `key:${principal.apiKeyId}`, limit: limits.perPrincipalPerMinute });
  if (principal?.kind === 'user') checks.push({ key: `user:${principal.userId}`, limit: limits.perPrincipalPerMinute });
  if (ctx.ip !== 'unknown') checks.push({ key: `ip:${ctx.ip}`, limit: limits.perIpPerMinute });
  for (const check of checks) await enforceOne(ctx, check.key, check.limit);
}

/** One named bucket, e.g. sign-in attempts per email address. */
export async function enforceOne(ctx: Context, key: string, limit: number): Promise<void> {
  const decision = await ctx.runtime.rateLimiter.hit(key, { limit, windowMs: minute });
  if (decision.allowed) return;
  ctx.responseHeaders.set('retry-after', String(decision.retryAfterSeconds));
  throw new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: `Rate limit exceeded; retry after ${decision.retryAfterSeconds} seconds.`,
  });
}
