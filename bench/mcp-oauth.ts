// MCP over OAuth (decision 0010): what an OAuth access token costs on POST /mcp
// next to an API key (token row + grant + membership lookups instead of one key
// lookup), and the token endpoint's code exchange and refresh (rotation), over
// loopback HTTP in process on PGlite with the demo seed.
import { silentLogger } from '../packages/core/src/ports';
import { seedDemo } from '../packages/db/src/index';
import { asUser, createTestCaller, issueOAuthTestTokens, signUpTestUser } from '../packages/api/src/auth/testing';
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
    const { secret } = await (await createTestCaller(runtime, asUser(user))).apiKey.create({ workspaceId, name: 'bench', scopes: ['read'] });
    const grant = { userId: user.userId, workspaceId, scopes: ['read'] as ('read' | 'write')[], resource: endpoint.url };
    const tokens = await issueOAuthTestTokens(runtime, grant);
    let id = 1;
    const listTools = (credential: string) => async () => {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: id++, method: 'tools/list', params: {} }),
      });
      if (!response.ok) throw new Error(`tools/list answered ${response.status}`);
      await response.arrayBuffer();
    };
    const withKey = await measure(100, listTools(secret));
    const withToken = await measure(100, listTools(tokens.accessToken));
    let refreshToken = tokens.refreshToken;
    const refresh = await measure(50, async () => {
      const response = await fetch(new URL('/oauth/token', endpoint.url), {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: tokens.clientId }).toString(),
      });
      if (!response.ok) throw new Error(`refresh answered ${response.status}`);
      refreshToken = ((await response.json()) as { refresh_token: string }).refresh_token;
    });
    const exchange = await measure(50, async () => {
      await issueOAuthTestTokens(runtime, grant);
    });
    return {
      toolsListApiKeyP50Ms: percentile(withKey, 0.5), toolsListApiKeyP99Ms: percentile(withKey, 0.99),
      toolsListOAuthP50Ms: percentile(withToken, 0.5), toolsListOAuthP99Ms: percentile(withToken, 0.99),
      refreshP50Ms: percentile(refresh, 0.5), refreshP99Ms: percentile(refresh, 0.99),
      registerAndExchangeInProcessP50Ms: percentile(exchange, 0.5),
    };
  } finally {
    await endpoint.close();
    await runtime.close();
  }
}
