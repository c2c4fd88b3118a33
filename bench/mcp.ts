// MCP endpoint (issue 9): latency of POST /mcp over loopback HTTP with a bearer
// key, in process on PGlite with the demo seed. Every request builds a new
// McpServer + transport (stateless mode), so tools/list shows that fixed cost
// plus key lookup; workspace_overview and show_dashboard add the tool work
// (show_dashboard resolves every panel's data through the tRPC caller).
import { startMcpBench } from './_mcp-support';
import { percentile, sampleLatencies } from './_support';

export default async function run(): Promise<Record<string, unknown>> {
  const bench = await startMcpBench();
  try {
    const list = await sampleLatencies(100, bench.post(bench.apiKey, 'tools/list', {}));
    const overview = await sampleLatencies(100, bench.post(bench.apiKey, 'tools/call', { name: 'workspace_overview', arguments: {} }));
    const dashboard = await sampleLatencies(10, bench.post(bench.apiKey, 'tools/call', { name: 'show_dashboard', arguments: { context: 'main_dashboard' } }));
    return {
      toolsListP50Ms: percentile(list, 0.5), toolsListP99Ms: percentile(list, 0.99),
      overviewP50Ms: percentile(overview, 0.5), overviewP99Ms: percentile(overview, 0.99),
      dashboardP50Ms: percentile(dashboard, 0.5), dashboardMaxMs: percentile(dashboard, 1),
    };
  } finally {
    await bench.close();
  }
}
