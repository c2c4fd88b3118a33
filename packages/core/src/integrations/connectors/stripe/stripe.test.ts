import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, startFakeStripe, type FakeStripe } from '../../../testing';

const actor = { type: 'agent' as const, id: 'agent_1', agentId: 'agent_1' };

describe('stripe connector, live backend against a fake Stripe API', () => {
  let stripe: FakeStripe;
  let fixture: ReturnType<typeof createTestGateway>;

  beforeEach(async () => {
    stripe = await startFakeStripe({ apiKeys: ['sk_test_workspaceA1234', 'sk_test_workspaceB5678'] });
    fixture = createTestGateway();
    await fixture.gateway.createIntegration('ws_a', { provider: 'stripe', mode: 'live', credentials: { secretKey: 'sk_test_workspaceA1234' }, config: { baseUrl: stripe.url } });
  });

  afterEach(async () => {
    await fixture.gateway.close();
    await stripe.close();
  });

  const call = (tool: string, args: Record<string, unknown>, extra: { workspaceId?: string; idempotencyKey?: string } = {}) =>
    fixture.gateway.callTool({ workspaceId: extra.workspaceId ?? 'ws_a', actor, tool, args, ...(extra.idempotencyKey ? { idempotencyKey: extra.idempotencyKey } : {}) });

  it('exposes the five tools with honest annotations', async () => {
    const { tools } = await fixture.gateway.listTools('ws_a');
    expect(tools.map((tool) => tool.name)).toEqual([
      'stripe__get_revenue_snapshot',
      'stripe__get_subscription',
      'stripe__list_customers',
      'stripe__list_failed_invoices',
      'stripe__refund_payment',
    ]);
    expect(tools.find((tool) => tool.toolName === 'refund_payment')?.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(tools.find((tool) => tool.toolName === 'list_customers')?.annotations.readOnlyHint).toBe(true);
    expect(tools.every((tool) => tool.outputSchema !== null && tool.mode === 'live')).toBe(true);
  });

  it('lists customers and failed invoices with the workspace key', async () => {
    const customers = await call('stripe__list_customers', { limit: 10 });
    expect(customers.structuredContent).toEqual({
      customers: [
        { id: 'cus_A1', name: 'Acme Corp', email: 'billing@acme.test', createdAt: '2025-11-24T16:00:00.000Z' },
        { id: 'cus_B2', name: 'Globex', email: 'ap@globex.test', createdAt: '2025-11-13T02:13:20.000Z' },
      ],
      hasMore: false,
    });
    const invoices = await call('stripe__list_failed_invoices', {});
    expect(invoices.structuredContent).toMatchObject({ invoices: [{ id: 'in_failed1', customerId: 'cus_A1', amountDueCents: 4900, attemptCount: 2 }] });
    expect(stripe.requests.every((request) => request.headers.authorization === 'Bearer sk_test_workspaceA1234')).toBe(true);
    expect(stripe.requests.find((request) => request.path === '/v1/invoices')?.query.get('status')).toBe('open');
  });

  it('reads a subscription and computes the revenue snapshot (annual plans / 12)', async () => {
    const subscription = await call('stripe__get_subscription', { subscriptionId: 'sub_2' });
    expect(subscription.structuredContent).toMatchObject({ subscription: { id: 'sub_2', planKey: 'team_annual', interval: 'year', amountCents: 120000, monthlyAmountCents: 10000 } });
    const missing = await call('stripe__get_subscription', { subscriptionId: 'sub_nope' });
    expect(missing.structuredContent).toEqual({ subscription: null });
    const snapshot = await call('stripe__get_revenue_snapshot', {});
    expect(snapshot.structuredContent).toMatchObject({ mrrCents: 14900, arrCents: 178800, activeSubscriptions: 2, failedInvoiceCount: 1, failedInvoiceAmountCents: 4900 });
  });

  it('refunds once per idempotency key, passing it as Stripe Idempotency-Key', async () => {
    const first = await call('stripe__refund_payment', { paymentId: 'pi_123', amountCents: 1000 }, { idempotencyKey: 'run-9:refund' });
    const second = await call('stripe__refund_payment', { paymentId: 'pi_123', amountCents: 1000 }, { idempotencyKey: 'run-9:refund' });
    expect(first.structuredContent).toMatchObject({ id: 're_1', amountCents: 1000, sandbox: false });
    expect(second.deduplicated).toBe(true);
    expect(stripe.refunds).toHaveLength(1);
    const refundRequest = stripe.requests.find((request) => request.path === '/v1/refunds');
    expect(refundRequest?.headers['idempotency-key']).toBe('run-9:refund');
    expect(refundRequest?.body).toContain('payment_intent=pi_123');
  });

  it("uses each workspace's own key and never another workspace's", async () => {
    await fixture.gateway.createIntegration('ws_b', { provider: 'stripe', mode: 'live', credentials: { secretKey: 'sk_test_workspaceB5678' }, config: { baseUrl: stripe.url } });
    await call('stripe__list_customers', {}, { workspaceId: 'ws_b' });
    await call('stripe__list_customers', {}, { workspaceId: 'ws_a' });
    await call('stripe__list_customers', {}, { workspaceId: 'ws_b' });
    expect(stripe.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer sk_test_workspaceB5678',
      'Bearer sk_test_workspaceA1234',
      'Bearer sk_test_workspaceB5678',
    ]);
  });

  it('refuses a ciphertext copied from workspace A into workspace B', async () => {
    const integrationA = fixture.store.integrations.find((record) => record.workspaceId === 'ws_a');
    await fixture.gateway.createIntegration('ws_b', { provider: 'stripe', mode: 'sandbox' });
    const integrationB = fixture.store.integrations.find((record) => record.workspaceId === 'ws_b');
    if (!integrationA || !integrationB) throw new Error('setup failed');
    Object.assign(integrationB, { mode: 'live', config: { baseUrl: stripe.url }, secretCiphertext: integrationA.secretCiphertext, updatedAt: new Date() });
    const result = await fixture.gateway.callTool({ workspaceId: 'ws_b', actor, tool: 'stripe__list_customers', args: {} }).catch((error: unknown) => error);
    expect(result).toMatchObject({ code: 'FORBIDDEN' });
    expect(stripe.requests).toHaveLength(0);
  });

  it('never returns or logs the secret key, even when Stripe rejects it', async () => {
    const views = await fixture.gateway.listIntegrations('ws_a');
    expect(views[0]).toMatchObject({ provider: 'stripe', mode: 'live', hasCredentials: true });
    expect(JSON.stringify(views)).not.toContain('sk_test_workspaceA1234');
    await fixture.gateway.createIntegration('ws_c', { provider: 'stripe', mode: 'live', credentials: { secretKey: 'sk_test_revokedKey999' }, config: { baseUrl: stripe.url } });
    const result = await call('stripe__list_customers', {}, { workspaceId: 'ws_c' });
    expect(result.isError).toBe(true);
    const everything = JSON.stringify([result, fixture.store.toolCalls, fixture.store.integrations, fixture.logger.lines]);
    expect(everything).not.toContain('sk_test_workspaceA1234');
    expect(everything).not.toContain('sk_test_revokedKey999');
  });
});
