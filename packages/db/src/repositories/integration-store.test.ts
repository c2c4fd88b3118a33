import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpGateway, type McpGatewayDeps } from '@opspilot/core/integrations';
import { createRecordingLogger, startFakeSlack, type FakeSlack } from '@opspilot/core/testing';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, describePostgres, type TestDatabase } from '../testing';
import { seedDemo } from '../seed';
import { createIntegrationStore } from './integration-store';

const now = new Date('2026-11-25T12:00:00.000Z');
const actor = { type: 'agent' as const, id: 'agent_ops', agentId: 'agent_ops', sessionId: 'session_9' };
function defineIntegrationStoreSuite(open: () => Promise<TestDatabase>): void {
  let db: TestDatabase;
  let workspaceId: string;
  let slack: FakeSlack;
  let deps: McpGatewayDeps;
  let gateway: McpGateway;
  let sequence = 0;

  function createGateway(): McpGateway {
    return new McpGateway(deps);
  }

  beforeAll(async () => {
    db = await open();
    workspaceId = (await seedDemo(db, { now })).workspaceId;
    slack = await startFakeSlack({ tokens: ['xoxb-db-test-token-1'] });
    const store = createIntegrationStore(db);
    deps = {
      ...store,
      secretKey: randomBytes(32),
      clock: { now: () => now },
      ids: { next: (prefix = 'id') => `${prefix}_${++sequence}` },
      logger: createRecordingLogger(),
      outboundPolicy: { allowedHosts: ['127.0.0.1'] },
    };
    gateway = createGateway();
    await gateway.installSandboxConnectors(workspaceId);
  }, 180_000);

  afterAll(async () => {
    await gateway?.close();
    await slack?.close();
    await db?.close();
  });

  const call = (tool: string, args: Record<string, unknown>, idempotencyKey?: string) =>
    gateway.callTool({ workspaceId, actor, tool, args, ...(idempotencyKey ? { idempotencyKey } : {}) });

  describe('gateway calls on the demo seed', { timeout: 60_000 }, () => {
    it('stripe sandbox answers from the demo billing tables', async () => {
      const failedCount = await db.prisma.invoice.count({
        where: { workspaceId, OR: [{ status: 'failed' }, { status: 'open', attemptCount: { gt: 0 } }] },
      });
      expect(failedCount).toBeGreaterThan(0);
      const invoices = await call('stripe__list_failed_invoices', { limit: 100 });
      const listed = (invoices.structuredContent as { invoices: { id: string; customerId: string | null }[] }).invoices;
      expect(listed.length).toBe(Math.min(100, failedCount));
      expect(listed.every((invoice) => invoice.customerId?.length)).toBe(true);

      const rows = await db.query<{ mrr: number }>(
        `SELECT COALESCE(SUM(CASE WHEN "interval" = 'year' THEN ROUND("amount" / 12.0) ELSE "amount" END), 0)::int AS mrr
           FROM "Subscription" WHERE "workspaceId" = $1 AND "status" IN ('active', 'past_due')`,
        [workspaceId],
      );
      const snapshot = (await call('stripe__get_revenue_snapshot', {})).structuredContent as { mrrCents: number; activeSubscriptions: number };
      expect(snapshot.mrrCents).toBe(rows[0]?.mrr);
      expect(snapshot.activeSubscriptions).toBe(await db.prisma.subscription.count({ where: { workspaceId, status: 'active' } }));

      const subscription = await db.prisma.subscription.findFirstOrThrow({ where: { workspaceId } });
      const detail = await call('stripe__get_subscription', { subscriptionId: subscription.externalId });
      expect(detail.structuredContent).toMatchObject({ subscription: { id: subscription.externalId, amountCents: subscription.amount } });
      const customers = await call('stripe__list_customers', { limit: 3 });
      expect((customers.structuredContent as { customers: unknown[]; hasMore: boolean }).customers).toHaveLength(3);
    });

    it('supabase sandbox queries the demo tables with filters and lists recent sign-ups', async () => {
      const customer = await db.prisma.customer.findFirstOrThrow({ where: { workspaceId }, orderBy: { createdAt: 'desc' } });
      const byId = await call('supabase__query_table', { table: 'customers', filters: [{ column: 'external_id', operator: 'eq', value: customer.externalId }] });
      expect(byId.structuredContent).toMatchObject({ count: 1, rows: [{ external_id: customer.externalId, created_at: customer.createdAt.toISOString() }] });
      const paid = await call('supabase__query_table', {
        table: 'invoices',
        filters: [{ column: 'status', operator: 'eq', value: 'paid' }, { column: 'amount', operator: 'gte', value: 1 }],
        orderBy: { column: 'created_at', ascending: false },
        limit: 5,
      });
      expect((paid.structuredContent as { rows: { status: string }[] }).rows.every((row) => row.status === 'paid')).toBe(true);
      const recentCount = await db.prisma.customer.count({ where: { workspaceId, createdAt: { gte: new Date(now.getTime() - 30 * 86_400_000) } } });
      const signups = await call('supabase__list_recent_signups', { sinceDays: 30, limit: 200 });
      expect((signups.structuredContent as { count: number }).count).toBe(Math.min(200, recentCount));
    });

    it('writes land in SandboxOutbox once per idempotency key, also across gateway instances', async () => {
      await call('slack__post_message', { channel: '#incidents', text: 'Checkout errors up' }, 'run_1:notify');
      await call('linear__create_issue', { title: 'Dunning retries failing' }, 'run_1:issue');
      const otherProcess = createGateway();
      const repeat = await otherProcess.callTool({ workspaceId, actor, tool: 'slack__post_message', args: { channel: '#incidents', text: 'Checkout errors up' }, idempotencyKey: 'run_1:notify' });
      expect(repeat.deduplicated).toBe(true);
      await otherProcess.close();
      const outbox = await db.prisma.sandboxOutbox.findMany({ where: { workspaceId }, orderBy: { createdAt: 'asc' } });
      expect(outbox.map((row) => `${row.connector}.${row.action}:${row.idempotencyKey}`)).toEqual(['slack.post_message:run_1:notify', 'linear.create_issue:run_1:issue']);
      const direct = await deps.sandbox.writeOutbox({ workspaceId, connector: 'slack', action: 'post_message', payload: { text: 'again' }, idempotencyKey: 'run_1:notify' });
      expect(direct).toMatchObject({ duplicate: true, entry: { payload: { text: 'Checkout errors up' } } });
      expect((await call('linear__list_issues', {})).structuredContent).toMatchObject({ issues: [{ title: 'Dunning retries failing' }] });
    });

    it('audits every call in ToolCall with actor, args hash, status and latency', async () => {
      const rows = await db.prisma.toolCall.findMany({ where: { workspaceId }, orderBy: { createdAt: 'asc' } });
      expect(rows.length).toBeGreaterThanOrEqual(10);
      expect(rows.every((row) => row.actorType === 'agent' && row.agentId === 'agent_ops' && row.sessionId === 'session_9' && /^[0-9a-f]{64}$/.test(row.argsHash))).toBe(true);
      expect(rows.map((row) => row.status)).toContain('deduplicated');
      const listed = await gateway.listToolCalls(workspaceId, { limit: 3 });
      expect(listed).toHaveLength(3);
      expect(listed[0]).not.toHaveProperty('result');
      expect(await gateway.listToolCalls('ws_someone_else', { limit: 10 })).toEqual([]);
    });

    it('stores credentials only as ciphertext, scoped to the workspace, and uses them for live calls', async () => {
      const [slackIntegration] = (await gateway.listIntegrations(workspaceId)).filter((view) => view.provider === 'slack');
      if (!slackIntegration) throw new Error('slack sandbox integration missing');
      const updated = await gateway.updateIntegration(workspaceId, slackIntegration.id, { mode: 'live', credentials: { botToken: 'xoxb-db-test-token-1' }, config: { baseUrl: `${slack.url}/api/` } });
      expect(updated).toMatchObject({ mode: 'live', hasCredentials: true });
      expect(JSON.stringify(updated)).not.toContain('xoxb-db-test-token-1');
      const row = await db.prisma.integration.findUniqueOrThrow({ where: { id: slackIntegration.id } });
      expect(row.secretCiphertext).toMatch(/^v1\./);
      expect(JSON.stringify(row)).not.toContain('xoxb-db-test-token-1');
      expect(await deps.integrations.findIntegration('ws_someone_else', slackIntegration.id)).toBeNull();
      expect(await deps.integrations.updateIntegration('ws_someone_else', slackIntegration.id, { enabled: false })).toBeNull();
      expect(await deps.integrations.deleteIntegration('ws_someone_else', slackIntegration.id)).toBe(false);
      const posted = await call('slack__post_message', { channel: '#ops', text: 'live now' }, 'live-1');
      expect(posted.structuredContent).toMatchObject({ sandbox: false, channel: 'C01OPS' });
      expect(slack.messages).toEqual([expect.objectContaining({ text: 'live now', token: 'xoxb-db-test-token-1' })]);
      const auditText = JSON.stringify(await db.prisma.toolCall.findMany({ where: { workspaceId } }));
      expect(auditText).not.toContain('xoxb-db-test-token-1');
    });

    it('keeps MCP server headers encrypted and reports status from a test', async () => {
      const server = await gateway.createMcpServer(workspaceId, { name: 'gone', url: 'http://127.0.0.1:9/mcp', headers: { 'X-Api-Key': 'header-secret-value' }, timeoutMs: 2000 });
      expect(server.headerNames).toEqual(['X-Api-Key']);
      const test = await gateway.testMcpServer(workspaceId, server.id);
      expect(test.ok).toBe(false);
      const row = await db.prisma.mcpServer.findUniqueOrThrow({ where: { id: server.id } });
      expect(row).toMatchObject({ status: 'error', lastCheckedAt: now });
      expect(JSON.stringify(row)).not.toContain('header-secret-value');
      await gateway.deleteMcpServer(workspaceId, server.id);
      expect(await db.prisma.mcpServer.count({ where: { workspaceId } })).toBe(0);
    });
  });
}

describe('integration store on PGlite', () => defineIntegrationStoreSuite(createEmbeddedTestDatabase));
describePostgres('integration store on PostgreSQL', () => defineIntegrationStoreSuite(createPostgresTestDatabase));
