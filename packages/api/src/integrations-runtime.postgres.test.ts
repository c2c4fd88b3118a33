import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ToolCallResult } from '@opspilot/core/integrations';
import { silentLogger } from '@opspilot/core/ports';
import { settledCode, startFakeSlack, type FakeSlack } from '@opspilot/core/testing';
import { createPostgresTestDatabase, describePostgres, type TestDatabase } from '@opspilot/db/testing';
import { createRuntime, type Runtime } from './runtime';

const actor = { type: 'workflow' as const, id: 'run_1' };
const botToken = 'xoxb-shared-gateway-token';

describePostgres('gateway shared by two runtimes on one PostgreSQL database', () => {
  let database: TestDatabase & { url: string };
  let slack: FakeSlack;
  let first: Runtime;
  let second: Runtime;
  let workspaceId: string;
  let limitedWorkspaceId: string;

  beforeAll(async () => {
    database = await createPostgresTestDatabase();
    slack = await startFakeSlack({ tokens: [botToken] });
    const env = {
      NODE_ENV: 'test' as const,
      DATABASE_URL: database.url,
      BETTER_AUTH_SECRET: 'test-secret-'.padEnd(40, 'x'),
      OPSPILOT_SECRET_KEY: randomBytes(32).toString('base64'),
      OPSPILOT_MCP_ALLOWED_HOSTS: '127.0.0.1',
      // Eight calls back to back, then practically nothing: the test finishes long before a token comes back.
      OPSPILOT_GATEWAY_RATE_BURST: '8',
      OPSPILOT_GATEWAY_RATE_PER_SECOND: '0.001',
    };
    const options = { env, seedWhenEmpty: false, logger: silentLogger, printDemoCredentials: false };
    first = await createRuntime(options);
    second = await createRuntime(options);
    const createWorkspace = async (slug: string) => {
      const id = (await first.db.prisma.workspace.create({ data: { name: slug, slug } })).id;
      await first.gateway.createIntegration(id, { provider: 'slack', mode: 'live', credentials: { botToken }, config: { baseUrl: `${slack.url}/api/` } });
      return id;
    };
    workspaceId = await createWorkspace('gateway-keys');
    limitedWorkspaceId = await createWorkspace('gateway-limited');
  }, 180_000);

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await slack?.close();
    await database?.close();
  });

  const post = (runtime: Runtime, key: string): Promise<ToolCallResult> =>
    runtime.gateway.callTool({ workspaceId, actor, tool: 'slack__post_message', args: { channel: '#ops', text: `deploy ${key}` }, idempotencyKey: key });

  it('posts one Slack message per idempotency key when both runtimes race its first call, and both get its result', async () => {
    const keys = ['run_a:notify', 'run_b:notify', 'run_c:notify'];
    for (const key of keys) {
      const [fromFirst, fromSecond] = await Promise.all([post(first, key), post(second, key)]);
      expect(fromFirst.structuredContent).toEqual(fromSecond.structuredContent);
      expect([fromFirst.deduplicated, fromSecond.deduplicated].sort()).toEqual([false, true]);
    }
    expect(slack.messages.map((message) => message.text)).toEqual(keys.map((key) => `deploy ${key}`));
    const rows = await database.query<{ state: string }>(`SELECT "state" FROM "ToolCallIdempotency" WHERE "workspaceId" = $1`, [workspaceId]);
    expect(rows.map((row) => row.state)).toEqual(['done', 'done', 'done']);
  });

  it('limits the combined calls of both runtimes to the configured burst', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, index) =>
        settledCode((index % 2 === 0 ? first : second).gateway.callTool({ workspaceId: limitedWorkspaceId, actor, tool: 'slack__list_channels', args: {} })),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(8);
    expect(outcomes.filter((outcome) => outcome === 'RATE_LIMITED')).toHaveLength(8);
    const audited = await database.query<{ status: string; count: string }>(
      `SELECT "status", count(*) AS "count" FROM "ToolCall" WHERE "workspaceId" = $1 AND "tool" = 'slack__list_channels' GROUP BY "status" ORDER BY "status"`,
      [limitedWorkspaceId],
    );
    expect(audited.map((row) => `${row.status}:${row.count}`)).toEqual(['ok:8', 'rate_limited:8']);
  });
});
