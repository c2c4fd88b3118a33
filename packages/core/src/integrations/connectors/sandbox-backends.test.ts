import { beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway } from '../../testing';

const actor = { type: 'user' as const, id: 'user_1' };
const day = 86_400_000;
const now = Date.parse('2026-11-25T12:00:00.000Z');

function seedDemoRows(fixture: ReturnType<typeof createTestGateway>, workspaceId: string) {
  const { data } = fixture.store;
  data.customers.push(
    { workspaceId, id: 'c1', externalId: 'cus_demo_1', name: 'Acme', email: 'a@acme.test', country: 'US', segment: 'smb', createdAt: new Date(now - 2 * day) },
    { workspaceId, id: 'c2', externalId: 'cus_demo_2', name: 'Globex', email: 'g@globex.test', country: 'DE', segment: 'mid', createdAt: new Date(now - 40 * day) },
  );
  data.subscriptions.push(
    { workspaceId, externalId: 'sub_demo_1', customerExternalId: 'cus_demo_1', planKey: 'pro', interval: 'month', status: 'active', amount: 4900, startedAt: new Date(now - 2 * day), canceledAt: null, trialEnd: null },
    { workspaceId, externalId: 'sub_demo_2', customerExternalId: 'cus_demo_2', planKey: 'team', interval: 'year', status: 'past_due', amount: 120000, startedAt: new Date(now - 40 * day), canceledAt: null, trialEnd: null },
    { workspaceId, externalId: 'sub_demo_3', customerExternalId: 'cus_demo_2', planKey: 'pro', interval: 'month', status: 'trialing', amount: 4900, startedAt: new Date(now - day), canceledAt: null, trialEnd: null },
  );
  data.invoices.push({
    workspaceId,
    externalId: 'in_demo_1',
    customerExternalId: 'cus_demo_2',
    amount: 120000,
    currency: 'usd',
    status: 'failed',
    attemptCount: 3,
    dueAt: new Date(now - day),
    lastFailedAt: new Date(now - day),
    createdAt: new Date(now - 3 * day),
  });
}

describe('sandbox backends on the workspace demo data', () => {
  let fixture: ReturnType<typeof createTestGateway>;
  const call = (tool: string, args: Record<string, unknown>, idempotencyKey?: string, workspaceId = 'ws_demo') =>
    fixture.gateway.callTool({ workspaceId, actor, tool, args, ...(idempotencyKey ? { idempotencyKey } : {}) });

  beforeEach(async () => {
    fixture = createTestGateway();
    seedDemoRows(fixture, 'ws_demo');
    await fixture.gateway.installSandboxConnectors('ws_demo');
  });

  it('installs all five connectors in sandbox mode with every tool', async () => {
    const { tools } = await fixture.gateway.listTools('ws_demo');
    expect(tools.map((tool) => tool.name)).toEqual([
      'linear__create_issue',
      'linear__list_issues',
      'notion__create_page',
      'notion__search',
      'slack__list_channels',
      'slack__post_message',
      'stripe__get_revenue_snapshot',
      'stripe__get_subscription',
      'stripe__list_customers',
      'stripe__list_failed_invoices',
      'stripe__refund_payment',
      'supabase__list_recent_signups',
      'supabase__query_table',
    ]);
    expect(tools.every((tool) => tool.mode === 'sandbox')).toBe(true);
  });

  it('stripe: customers, failed invoices, subscription and revenue from demo rows', async () => {
    expect((await call('stripe__list_customers', { limit: 1 })).structuredContent).toMatchObject({ customers: [{ id: 'cus_demo_1' }], hasMore: true });
    expect((await call('stripe__list_failed_invoices', {})).structuredContent).toMatchObject({ invoices: [{ id: 'in_demo_1', amountDueCents: 120000, attemptCount: 3 }] });
    expect((await call('stripe__get_subscription', { subscriptionId: 'sub_demo_2' })).structuredContent).toMatchObject({ subscription: { status: 'past_due', monthlyAmountCents: 10000 } });
    expect((await call('stripe__get_revenue_snapshot', {})).structuredContent).toEqual({
      mrrCents: 14900,
      arrCents: 178800,
      activeSubscriptions: 1,
      pastDueSubscriptions: 1,
      trialingSubscriptions: 1,
      failedInvoiceCount: 1,
      failedInvoiceAmountCents: 120000,
      asOf: '2026-11-25T12:00:00.000Z',
    });
  });

  it('stripe: a refund lands in the outbox once per idempotency key', async () => {
    const first = await call('stripe__refund_payment', { paymentId: 'pi_demo', amountCents: 500 }, 'key-1');
    expect(first.structuredContent).toMatchObject({ sandbox: true, status: 'succeeded', amountCents: 500 });
    fixture.store.idempotencyKeys.clear(); // the outbox, not the gateway's key reservation, must hold on its own
    const again = await call('stripe__refund_payment', { paymentId: 'pi_demo', amountCents: 500 }, 'key-1');
    expect(again.structuredContent).toMatchObject({ duplicate: true });
    expect(fixture.store.outbox).toEqual([expect.objectContaining({ workspaceId: 'ws_demo', connector: 'stripe', action: 'refund_payment', idempotencyKey: 'key-1' })]);
  });

  it('supabase: sandbox tables only, known columns only, sign-ups from customers', async () => {
    const rows = await call('supabase__query_table', { table: 'customers', filters: [{ column: 'country', operator: 'eq', value: 'DE' }] });
    expect(rows.structuredContent).toMatchObject({ count: 1, rows: [{ external_id: 'cus_demo_2', name: 'Globex' }] });
    expect((await call('supabase__query_table', { table: 'users' })).isError).toBe(true);
    expect((await call('supabase__query_table', { table: 'customers', filters: [{ column: 'password', operator: 'eq', value: 'x' }] })).isError).toBe(true);
    expect((await call('supabase__list_recent_signups', { sinceDays: 7 })).structuredContent).toMatchObject({ count: 1, users: [{ id: 'cus_demo_1' }] });
  });

  it('slack, notion, linear: writes land in the outbox and reads see them', async () => {
    expect((await call('slack__list_channels', {})).structuredContent).toMatchObject({ channels: expect.arrayContaining([expect.objectContaining({ name: 'ops' })]) as unknown });
    expect((await call('slack__post_message', { channel: '#ops', text: 'hello' }, 'k-slack')).structuredContent).toMatchObject({ channel: 'C0SANDBOXOPS', sandbox: true });
    await call('notion__create_page', { title: 'Churn review', content: 'Notes' }, 'k-notion');
    expect((await call('notion__search', { query: 'churn' })).structuredContent).toMatchObject({ results: [{ title: 'Churn review' }] });
    await call('linear__create_issue', { title: 'Fix dunning emails', priority: 2 }, 'k-linear');
    expect((await call('linear__list_issues', {})).structuredContent).toMatchObject({ issues: [{ title: 'Fix dunning emails', priority: 2 }] });
    expect(fixture.store.outbox.map((entry) => `${entry.connector}.${entry.action}`)).toEqual(['slack.post_message', 'notion.create_page', 'linear.create_issue']);
  });

  it('does not read another workspace demo rows', async () => {
    await fixture.gateway.installSandboxConnectors('ws_other');
    expect((await call('stripe__list_customers', {}, undefined, 'ws_other')).structuredContent).toEqual({ customers: [], hasMore: false });
  });
});
