export {
  createMemoryRateLimiter,
  createDatabaseRateLimiter,
  type RateLimiter,
  type RateLimitRule,
  type RateLimitDecision,
} from './rate-limiter';
export { loadRequestLimits, defaultRequestLimits, type RequestLimits } from './limits';
export { readBoundedRequest, payloadTooLarge, appendResponseHeaders } from './http-limits';
export { enforceRateLimit, enforceOne } from './enforce';
