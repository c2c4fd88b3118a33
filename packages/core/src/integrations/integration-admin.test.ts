import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, startFakeStripe, type FakeStripe } from '../testing';

const rejection = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as { code: string; message: string; issues: unknown[] });

describe('integration administration', () => {
  let stripe: FakeStripe;
  let fixture: ReturnType<typeof createTestGateway>;

  beforeEach(async () => {
    stripe = await startFakeStripe({ apiKeys: ['sk_test_adminKey12345'] });
    fixture = createTestGateway();
  });

  afterEach(async () => {
    await fixture.gateway.close();
    await stripe.close();
  });

  it('refuses live integrations without valid credentials, without echoing them', async () => {
    expect(await rejection(fixture.gateway.createIntegration('ws_a', { provider: 'stripe', mode: 'live' }))).toMatchObject({ code: 'BAD_REQUEST' });
    const invalid = await rejection(fixture.gateway.createIntegration('ws_a', { provider: 'stripe', mode: 'live', credentials: { secretKey: 'sk_x' } }));
    expect(invalid).toMatchObject({ code: 'BAD_REQUEST' });
    expect(JSON.stringify({ message: invalid?.message, issues: invalid?.issues })).not.toContain('sk_x');
    expect(await rejection(fixture.gateway.createIntegration('ws_a', { provider: 'jira' }))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('applies the SSRF guard to a live base URL', async () => {
    const strict = createTestGateway({ outboundPolicy: {} });
    const refused = strict.gateway.createIntegration('ws_a', {
      provider: 'stripe',
      mode: 'live',
      credentials: { secretKey: 'sk_test_adminKey12345' },
      config: { baseUrl: 'http://169.254.169.254/' },
    });
    expect(await rejection(refused)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('allows one integration per provider and switches modes only with credentials', async () => {
    const created = await fixture.gateway.createIntegration('ws_a', { provider: 'stripe' });
    expect(created).toMatchObject({ mode: 'sandbox', hasCredentials: false, name: 'stripe' });
    expect(await rejection(fixture.gateway.createIntegration('ws_a', { provider: 'stripe' }))).toMatchObject({ code: 'CONFLICT' });
    expect(await rejection(fixture.gateway.updateIntegration('ws_a', created.id, { mode: 'live', config: { baseUrl: stripe.url } }))).toMatchObject({ code: 'BAD_REQUEST' });
    const live = await fixture.gateway.updateIntegration('ws_a', created.id, { mode: 'live', credentials: { secretKey: 'sk_test_adminKey12345' }, config: { baseUrl: stripe.url } });
    expect(live).toMatchObject({ mode: 'live', hasCredentials: true });
    // A later config change keeps the stored credentials.
    await fixture.gateway.updateIntegration('ws_a', created.id, { config: { baseUrl: stripe.url } });
    expect(await fixture.gateway.testIntegration('ws_a', created.id)).toEqual({ ok: true, toolCount: 5, error: null });
    expect(fixture.store.integrations[0]).toMatchObject({ status: 'ok' });
    const call = await fixture.gateway.callTool({ workspaceId: 'ws_a', actor: { type: 'user', id: 'u' }, tool: 'stripe__list_customers', args: {} });
    expect(call.isError).toBe(false);
    expect(JSON.stringify(await fixture.gateway.listIntegrations('ws_a'))).not.toContain('sk_test_adminKey12345');
  });

  it('removes the tools of a deleted integration and refuses other workspaces', async () => {
    const created = await fixture.gateway.createIntegration('ws_a', { provider: 'slack' });
    expect((await fixture.gateway.listTools('ws_a')).tools).toHaveLength(2);
    expect(await rejection(fixture.gateway.deleteIntegration('ws_b', created.id))).toMatchObject({ code: 'NOT_FOUND' });
    await fixture.gateway.deleteIntegration('ws_a', created.id);
    expect((await fixture.gateway.listTools('ws_a')).tools).toEqual([]);
  });
});
