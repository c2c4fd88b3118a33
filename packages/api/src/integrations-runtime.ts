import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { McpGateway, createTokenBucketRateLimiter, defaultGatewayRateLimit, type RateLimiter, type RateLimitRule } from '@opspilot/core/integrations';
import type { Clock, IdGenerator, Logger } from '@opspilot/core/ports';
import {
  createIntegrationStore,
  createSharedGatewayRateLimiter,
  defaultDataDirectory,
  inMemoryDataDir,
  loadOrCreateSecretKey,
  parseSecretKey,
  type Database,
  type DatabaseConfig,
} from '@opspilot/db';

type Environment = Readonly<Record<string, string | undefined>>;

/** Ids of gateway rows (integrations, MCP servers, tool calls): prefixed, unguessable, under 64 characters. */
export const gatewayIds: IdGenerator = { next: (prefix = 'id') => `${prefix}_${randomUUID().replaceAll('-', '')}` };

/**
 * The key that encrypts integration credentials. OPSPILOT_SECRET_KEY wins;
 * an in-memory database gets a key that dies with it; the embedded default
 * keeps one in `<dataDir>/secret.key`. PostgreSQL without a key is refused in
 * production, because every web process must decrypt with the same key.
 */
export function resolveSecretKey(env: Environment, config: DatabaseConfig, logger: Logger): Uint8Array {
  const configured = env.OPSPILOT_SECRET_KEY?.trim();
  if (configured) return parseSecretKey(configured);
  if (config.mode === 'embedded') {
    return config.dataDir === inMemoryDataDir ? new Uint8Array(randomBytes(32)) : loadOrCreateSecretKey(config.dataDir);
  }
  if (env.NODE_ENV === 'production') {
    throw new Error('OPSPILOT_SECRET_KEY is required with DATABASE_URL in production (e.g. `openssl rand -base64 32`)');
  }
  const dataDir = env.OPSPILOT_DATA_DIR?.trim() && env.OPSPILOT_DATA_DIR !== inMemoryDataDir ? path.resolve(env.OPSPILOT_DATA_DIR) : defaultDataDirectory;
  logger.warn('OPSPILOT_SECRET_KEY is not set: integration credentials use a key file in the data directory of this host only', { dataDir });
  return loadOrCreateSecretKey(dataDir);
}

/** OPSPILOT_MCP_ALLOWED_HOSTS: comma-separated host names or addresses the SSRF guard lets through. */
export function parseAllowedHosts(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host.length > 0);
}

/**
 * OPSPILOT_GATEWAY_RATE_BURST and OPSPILOT_GATEWAY_RATE_PER_SECOND: the tool
 * call token bucket per workspace (default 60 back to back, 10 per second).
 */
export function parseGatewayRateLimit(env: Environment): RateLimitRule {
  const read = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
    return value;
  };
  return {
    capacity: Math.max(1, Math.floor(read('OPSPILOT_GATEWAY_RATE_BURST', defaultGatewayRateLimit.capacity))),
    refillPerSecond: read('OPSPILOT_GATEWAY_RATE_PER_SECOND', defaultGatewayRateLimit.refillPerSecond),
  };
}

/**
 * PostgreSQL may have many processes, so they share one bucket row per
 * workspace; embedded PGlite has one process, which keeps it in memory.
 */
export function createGatewayRateLimiter(db: Database, env: Environment, clock: Clock): RateLimiter {
  const rule = parseGatewayRateLimit(env);
  return db.mode === 'postgres' ? createSharedGatewayRateLimiter(db, { ...rule, clock }) : createTokenBucketRateLimiter({ ...rule, clock });
}

export interface CreateGatewayOptions {
  db: Database;
  config: DatabaseConfig;
  env: Environment;
  clock: Clock;
  logger: Logger;
}

/** The MCP gateway over the database's integration store. */
export function createGateway(options: CreateGatewayOptions): McpGateway {
  const { db, config, env, clock, logger } = options;
  return new McpGateway({
    ...createIntegrationStore(db),
    secretKey: resolveSecretKey(env, config, logger),
    clock,
    ids: gatewayIds,
    logger,
    rateLimiter: createGatewayRateLimiter(db, env, clock),
    outboundPolicy: { allowedHosts: parseAllowedHosts(env.OPSPILOT_MCP_ALLOWED_HOSTS) },
  });
}

/**
 * Gives the demo workspace its five sandbox connectors on boot. Only when it
 * has no integration at all, so an admin's deletion survives a restart; a
 * second process racing this boot may lose with CONFLICT, which is fine.
 */
export async function installDemoConnectors(db: Database, gateway: McpGateway, logger: Logger): Promise<void> {
  const demo = await db.prisma.workspace.findFirst({ where: { isDemo: true }, select: { id: true } });
  if (!demo) return;
  if ((await db.prisma.integration.count({ where: { workspaceId: demo.id } })) > 0) return;
  try {
    const installed = await gateway.installSandboxConnectors(demo.id);
    logger.info('Installed the sandbox connectors of the demo workspace', { workspaceId: demo.id, count: installed.length });
  } catch (error) {
    // The message only: a cause may carry driver details.
    logger.warn('Could not install the demo sandbox connectors', { workspaceId: demo.id, error: error instanceof Error ? error.message : String(error) });
  }
}
