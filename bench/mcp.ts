// MCP endpoint (issue 9): latency of POST /mcp over loopback HTTP with a bearer
// key, in process on PGlite with the demo seed. Every request builds a new
// McpServer + transport (stateless mode), so tools/list shows that fixed cost
// plus key lookup; workspace_overview and show_dashboard add the tool work
// (show_dashboard resolves every panel's data through the tRPC caller).
import { silentLogger } from '../packages/core/src/ports';
import { seedDemo } from '../packages/db/src/index';
import { asUser, createTestCaller, signUpTestUser } from '../packages/api/src/auth/testing';
import { startMcpHttpServer } from '../packages/api/src/mcp/testing';
import { createStaticWidgetSource } from '../packages/api/src/mcp/widget-source';
import { createRuntime } from '../packages/api/src/runtime';
import { percentile } from './_support';

async function measure(count: number, call: () => Promise<void>): Promise<number[]> {
  await call();
  const samples: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return samples;
}

export default async function run(): Promise<Record<string, unknown>> {
  const runtime = await createRuntime({
    env: { NODE_ENV: 'test', OPSPILOT_DATA_DIR: 'memory://' }, seedWhenEmpty: false, logger: silentLogger, printDemoCredentials: false,
    limits: { perPrincipalPerMinute: 1_000_000, perIpPerMinute: 1_000_000, signInPerMinute: 1_000 },
  });
  const endpoint = await startMcpHttpServer({ runtime, widgetSource: createStaticWidgetSource('<html><head></head><body></body></html>'), env: {} });
  try {
    const workspaceId = (await seedDemo(runtime.db, { now: runtime.clock.now() })).workspaceId;
    const user = await signUpTestUser(runtime, 'Bench');
    await runtime.db.prisma.membership.create({ data: { workspaceId, userId: user.userId, role: 'owner' } });
    const owner = await createTestCaller(runtime, asUser(user));
    const { secret } = await owner.apiKey.create({ workspaceId, name: 'bench', scopes: ['read'] });
    let id = 1;
    const post = (method: string, params: Record<string, unknown>) => async () => {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: id++, method, params }),
      });
      if (!response.ok) throw new Error(`${method} answered ${response.status}`);
      await response.arrayBuffer();
    };
    const list = await measure(100, post('tools/list', {}));
    const overview = await measure(100, post('tools/call', { name: 'workspace_overview', arguments: {} }));
    const dashboard = await measure(10, post('tools/call', { name: 'show_dashboard', arguments: { context: 'main_dashboard' } }));
    return {
      toolsListP50Ms: percentile(list, 0.5), toolsListP99Ms: percentile(list, 0.99),
      overviewP50Ms: percentile(overview, 0.5), overviewP99Ms: percentile(overview, 0.99),
      dashboardP50Ms: percentile(dashboard, 0.5), dashboardMaxMs: percentile(dashboard, 1),
    };
  } finally {
    await endpoint.close();
    await runtime.close();
  }
}
