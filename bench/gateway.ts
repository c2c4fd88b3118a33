// MCP gateway overhead per call, p50/p99 in milliseconds, over in-memory ports
// (so database latency is excluded; production adds one ToolCall insert per call):
//  - builtIn: gateway.callTool on a built-in connector (sandbox Slack list_channels,
//    a static answer) vs the same backend method called directly, and vs a raw
//    MCP client over the SDK's in-memory transport (the protocol's own cost);
//  - http: gateway.callTool on an external server over Streamable HTTP on loopback
//    vs a raw SDK client calling the same server.
import { createTokenBucketRateLimiter } from '../packages/core/src/integrations/index';
import { createBuiltInConnectors } from '../packages/core/src/integrations/connectors/index';
import { createSlackSandboxBackend } from '../packages/core/src/integrations/connectors/slack/sandbox-backend';
import { connectHttpClient, connectInMemoryClient, createTestGateway, startTestMcpServer } from '../packages/core/src/testing/index';
import { percentile } from './_support';

const iterations = 3000;
const httpIterations = 1000;
const warmup = 100;

interface Figures {
  p50Ms: number;
  p99Ms: number;
}

/**
 * Runs the variants interleaved (A, B, C, A, B, C...) so load from other
 * processes on this shared machine hits each of them alike.
 */
async function measureInterleaved(variants: (() => Promise<unknown>)[], count = iterations): Promise<Figures[]> {
  for (let index = 0; index < warmup; index++) for (const variant of variants) await variant();
  const samples = variants.map(() => [] as number[]);
  for (let index = 0; index < count; index++) {
    for (const [position, variant] of variants.entries()) {
      const started = performance.now();
      await variant();
      samples[position]?.push(performance.now() - started);
    }
  }
  return samples.map((series) => ({ p50Ms: percentile(series, 0.5), p99Ms: percentile(series, 0.99) }));
}

const round = (value: number) => Math.round(value * 1000) / 1000;

export default async function run(): Promise<Record<string, unknown>> {
  const clock = { now: () => new Date() };
  const { gateway, store } = createTestGateway({ rateLimiter: createTokenBucketRateLimiter({ capacity: 1e9, refillPerSecond: 1e9, clock }) });
  const workspaceId = 'ws_bench';
  const actor = { type: 'system' as const, id: null };
  await gateway.installSandboxConnectors(workspaceId);

  const backend = createSlackSandboxBackend(workspaceId, store.sandbox);

  const slack = createBuiltInConnectors(() => new Date()).get('slack');
  if (!slack) throw new Error('slack connector missing');
  const server = slack.createServer({ workspaceId, integrationId: 'bench', mode: 'sandbox', credentials: {}, config: {}, sandbox: store.sandbox });
  const rawInMemory = await connectInMemoryClient(server);
  await rawInMemory.listTools();
  const [direct, inMemoryMcp, builtIn] = await measureInterleaved([
    () => backend.listChannels({ limit: 100, includeArchived: false }),
    () => rawInMemory.callTool({ name: 'list_channels', arguments: {} }),
    () => gateway.callTool({ workspaceId, actor, tool: 'slack__list_channels', args: {} }),
  ]);
  if (!direct || !inMemoryMcp || !builtIn) throw new Error('missing figures');
  await rawInMemory.close();

  const upstream = await startTestMcpServer();
  await gateway.createMcpServer(workspaceId, { name: 'ext', url: upstream.url });
  const rawHttp = await connectHttpClient(upstream.url);
  await rawHttp.listTools();
  const [httpDirect, httpGateway] = await measureInterleaved(
    [() => rawHttp.callTool({ name: 'echo', arguments: { text: 'x' } }), () => gateway.callTool({ workspaceId, actor, tool: 'ext__echo', args: { text: 'x' } })],
    httpIterations,
  );
  if (!httpDirect || !httpGateway) throw new Error('missing figures');
  await rawHttp.close();
  await gateway.close();
  await upstream.close();

  return {
    iterations,
    httpIterations,
    auditRowsWritten: store.toolCalls.length,
    builtInDirectBackendP50Ms: direct.p50Ms,
    builtInRawMcpInMemoryP50Ms: inMemoryMcp.p50Ms,
    builtInRawMcpInMemoryP99Ms: inMemoryMcp.p99Ms,
    builtInGatewayP50Ms: builtIn.p50Ms,
    builtInGatewayP99Ms: builtIn.p99Ms,
    builtInGatewayOverheadP50Ms: round(builtIn.p50Ms - direct.p50Ms),
    builtInGatewayOverheadP99Ms: round(builtIn.p99Ms - direct.p99Ms),
    builtInGatewayOverheadBeyondMcpP50Ms: round(builtIn.p50Ms - inMemoryMcp.p50Ms),
    httpRawClientP50Ms: httpDirect.p50Ms,
    httpRawClientP99Ms: httpDirect.p99Ms,
    httpGatewayP50Ms: httpGateway.p50Ms,
    httpGatewayP99Ms: httpGateway.p99Ms,
    httpGatewayOverheadP50Ms: round(httpGateway.p50Ms - httpDirect.p50Ms),
    httpGatewayOverheadP99Ms: round(httpGateway.p99Ms - httpDirect.p99Ms),
  };
}
