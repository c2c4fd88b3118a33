import { randomBytes } from 'node:crypto';
import type { Logger } from '../ports';
import { McpGateway, createTokenBucketRateLimiter, type McpGatewayDeps } from '../integrations';
import { createInMemoryIntegrationStore } from './in-memory-integration-store';

/** A logger that keeps every line, so tests can assert nothing secret was logged. */
export function createRecordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (message: string, data?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(data ?? {})}`);
  };
  return { lines, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/**
 * A gateway over in-memory ports with a settable clock; loopback allowed so it
 * can reach local fakes. Pass `overrides` to change any dependency.
 */
export function createTestGateway(overrides: Partial<McpGatewayDeps> = {}) {
  let nowMs = Date.parse('2026-11-25T12:00:00.000Z');
  const clock = { now: () => new Date(nowMs) };
  const store = createInMemoryIntegrationStore(() => clock.now());
  const logger = createRecordingLogger();
  let sequence = 0;
  const deps: McpGatewayDeps = {
    integrations: store.repository,
    audit: store.audit,
    sandbox: store.sandbox,
    secretKey: randomBytes(32),
    clock,
    ids: { next: (prefix = 'id') => `${prefix}_${++sequence}` },
    logger,
    rateLimiter: createTokenBucketRateLimiter({ capacity: 1000, refillPerSecond: 1000, clock }),
    outboundPolicy: { allowedHosts: ['127.0.0.1'] },
    ...overrides,
  };
  const gateway = new McpGateway(deps);
  return {
    gateway,
    store,
    logger,
    deps,
    advanceClock: (milliseconds: number) => {
      nowMs += milliseconds;
    },
  };
}
