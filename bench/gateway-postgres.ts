// The gateway's cross-process state on a real PostgreSQL server (decision 0015), p50/p99 in milliseconds:
//  - limiter: one token from the shared GatewayRateBucket row (one upsert) vs the in-memory bucket;
//  - read: a whole gateway call (sandbox Slack list_channels over the Prisma stores, one ToolCall insert)
//    with the shared limiter vs with the in-memory one: the shared limit's cost inside a real call;
//  - keyed write: sandbox Slack post_message with a fresh idempotency key (reserve, outbox write, audit,
//    complete) vs the same write without a key.
import { randomBytes } from 'node:crypto';
import { McpGateway, createTokenBucketRateLimiter, type RateLimiter } from '../packages/core/src/integrations/index';
import { createRecordingLogger } from '../packages/core/src/testing/index';
import { createIntegrationStore, createSharedGatewayRateLimiter } from '../packages/db/src/repositories/index';
import { createPostgresTestDatabase, findPostgresBinaries, startPostgresServer } from '../packages/db/src/testing/index';
import { percentile } from './_support';

const iterations = 600;
const warmup = 50;

async function measureInterleaved(variants: (() => Promise<unknown>)[]): Promise<{ p50Ms: number; p99Ms: number }[]> {
  for (let index = 0; index < warmup; index++) for (const variant of variants) await variant();
  const samples = variants.map(() => [] as number[]);
  for (let index = 0; index < iterations; index++) {
    for (const [position, variant] of variants.entries()) {
      const started = performance.now();
      await variant();
      samples[position]?.push(performance.now() - started);
    }
  }
  return samples.map((series) => ({ p50Ms: percentile(series, 0.5), p99Ms: percentile(series, 0.99) }));
}

export default async function run(): Promise<Record<string, unknown>> {
  if (!findPostgresBinaries()) return { postgresSkipped: 1 };
  const server = await startPostgresServer();
  const db = await createPostgresTestDatabase(server);
  const clock = { now: () => new Date() };
  const unlimited = { capacity: 1e9, refillPerSecond: 1e9, clock };
  try {
    const workspaceId = (await db.prisma.workspace.create({ data: { name: 'bench', slug: 'bench-gateway' } })).id;
    let sequence = 0;
    const gatewayWith = (rateLimiter: RateLimiter) =>
      new McpGateway({
        ...createIntegrationStore(db),
        secretKey: randomBytes(32),
        clock,
        ids: { next: (prefix = 'id') => `${prefix}_${++sequence}_${process.pid}` },
        logger: createRecordingLogger(),
        rateLimiter,
      });
    const shared = gatewayWith(createSharedGatewayRateLimiter(db, unlimited));
    const memory = gatewayWith(createTokenBucketRateLimiter(unlimited));
    await shared.installSandboxConnectors(workspaceId);
    const actor = { type: 'system' as const, id: null };
    const read = (gateway: McpGateway) => () => gateway.callTool({ workspaceId, actor, tool: 'slack__list_channels', args: {} });
    const write = (key: boolean) => () =>
      memory.callTool({ workspaceId, actor, tool: 'slack__post_message', args: { channel: '#ops', text: 'bench' }, ...(key ? { idempotencyKey: `bench:${++sequence}` } : {}) });
    const sharedLimiter = createSharedGatewayRateLimiter(db, unlimited);
    const memoryLimiter = createTokenBucketRateLimiter(unlimited);
    const [limiterShared, limiterMemory] = await measureInterleaved([
      () => Promise.resolve(sharedLimiter.consume('bench')),
      () => Promise.resolve(memoryLimiter.consume('bench')),
    ]);
    const [readShared, readMemory] = await measureInterleaved([read(shared), read(memory)]);
    const [writeKeyed, writeUnkeyed] = await measureInterleaved([write(true), write(false)]);
    await shared.close();
    await memory.close();
    if (!limiterShared || !limiterMemory || !readShared || !readMemory || !writeKeyed || !writeUnkeyed) throw new Error('missing figures');
    const round = (value: number) => Math.round(value * 1000) / 1000;
    return {
      iterations,
      sharedLimiterConsumeP50Ms: limiterShared.p50Ms,
      sharedLimiterConsumeP99Ms: limiterShared.p99Ms,
      memoryLimiterConsumeP50Ms: limiterMemory.p50Ms,
      readCallSharedLimiterP50Ms: readShared.p50Ms,
      readCallSharedLimiterP99Ms: readShared.p99Ms,
      readCallMemoryLimiterP50Ms: readMemory.p50Ms,
      readCallMemoryLimiterP99Ms: readMemory.p99Ms,
      sharedLimiterOverheadP50Ms: round(readShared.p50Ms - readMemory.p50Ms),
      keyedWriteP50Ms: writeKeyed.p50Ms,
      keyedWriteP99Ms: writeKeyed.p99Ms,
      unkeyedWriteP50Ms: writeUnkeyed.p50Ms,
      unkeyedWriteP99Ms: writeUnkeyed.p99Ms,
      idempotencyReservationOverheadP50Ms: round(writeKeyed.p50Ms - writeUnkeyed.p50Ms),
    };
  } finally {
    await db.close();
    await server.stop();
  }
}
