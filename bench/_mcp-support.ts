// Shared set-up of the MCP benchmarks: a seeded in-memory runtime behind a loopback /mcp
// server, an owner of the demo workspace with a read key, and a JSON-RPC poster.
import { silentLogger } from '../packages/core/src/ports';
import { seedDemo } from '../packages/db/src/index';
import { asUser, createTestCaller, signUpTestUser, type TestUser } from '../packages/api/src/auth/testing';
import { startMcpHttpServer } from '../packages/api/src/mcp/testing';
import { createStaticWidgetSource } from '../packages/api/src/mcp/widget-source';
import { createRuntime, type Runtime } from '../packages/api/src/runtime';

export interface McpBench {
  runtime: Runtime;
  url: string;
  workspaceId: string;
  owner: TestUser;
  /** A read-scoped API key of the demo workspace. */
  apiKey: string;
  /** A function that POSTs one JSON-RPC request with the given bearer credential and reads the whole answer. */
  post(credential: string, method: string, params: Record<string, unknown>): () => Promise<void>;
  close(): Promise<void>;
}

export async function startMcpBench(): Promise<McpBench> {
  const runtime = await createRuntime({
    env: { NODE_ENV: 'test', OPSPILOT_DATA_DIR: 'memory://' }, seedWhenEmpty: false, logger: silentLogger, printDemoCredentials: false,
    limits: { perPrincipalPerMinute: 1_000_000, perIpPerMinute: 1_000_000, signInPerMinute: 1_000 },
  });
  const endpoint = await startMcpHttpServer({ runtime, widgetSource: createStaticWidgetSource('<html><head></head><body></body></html>'), env: {} });
  const workspaceId = (await seedDemo(runtime.db, { now: runtime.clock.now() })).workspaceId;
  const owner = await signUpTestUser(runtime, 'Bench');
  await runtime.db.prisma.membership.create({ data: { workspaceId, userId: owner.userId, role: 'owner' } });
  const { secret } = await (await createTestCaller(runtime, asUser(owner))).apiKey.create({ workspaceId, name: 'bench', scopes: ['read'] });
  let id = 1;
  const post = (credential: string, method: string, params: Record<string, unknown>) => async () => {
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: id++, method, params }),
    });
    if (!response.ok) throw new Error(`${method} answered ${response.status}`);
    await response.arrayBuffer();
  };
  return {
    runtime, url: endpoint.url, workspaceId, owner, apiKey: secret, post,
    close: async () => {
      await endpoint.close();
      await runtime.close();
    },
  };
}
