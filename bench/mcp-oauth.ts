// MCP over OAuth (decision 0010): what an OAuth access token costs on POST /mcp
// next to an API key (token row + grant + membership lookups instead of one key
// lookup), and the token endpoint's code exchange and refresh (rotation), over
// loopback HTTP in process on PGlite with the demo seed.
import { issueOAuthTestTokens } from '../packages/api/src/auth/testing';
import { startMcpBench } from './_mcp-support';
import { percentile, sampleLatencies } from './_support';

export default async function run(): Promise<Record<string, unknown>> {
  const bench = await startMcpBench();
  try {
    const grant = { userId: bench.owner.userId, workspaceId: bench.workspaceId, scopes: ['read'] as ('read' | 'write')[], resource: bench.url };
    const tokens = await issueOAuthTestTokens(bench.runtime, grant);
    const withKey = await sampleLatencies(100, bench.post(bench.apiKey, 'tools/list', {}));
    const withToken = await sampleLatencies(100, bench.post(tokens.accessToken, 'tools/list', {}));
    let refreshToken = tokens.refreshToken;
    const refresh = await sampleLatencies(50, async () => {
      const response = await fetch(new URL('/oauth/token', bench.url), {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: tokens.clientId }).toString(),
      });
      if (!response.ok) throw new Error(`refresh answered ${response.status}`);
      refreshToken = ((await response.json()) as { refresh_token: string }).refresh_token;
    });
    const exchange = await sampleLatencies(50, () => issueOAuthTestTokens(bench.runtime, grant));
    return {
      toolsListApiKeyP50Ms: percentile(withKey, 0.5), toolsListApiKeyP99Ms: percentile(withKey, 0.99),
      toolsListOAuthP50Ms: percentile(withToken, 0.5), toolsListOAuthP99Ms: percentile(withToken, 0.99),
      refreshP50Ms: percentile(refresh, 0.5), refreshP99Ms: percentile(refresh, 0.99),
      registerAndExchangeInProcessP50Ms: percentile(exchange, 0.5),
    };
  } finally {
    await bench.close();
  }
}
