import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, startFakeSupabase, type FakeSupabase } from '../../../testing';

const actor = { type: 'user' as const, id: 'user_1' };

describe('supabase connector, live backend against a fake PostgREST and auth admin API', () => {
  let supabase: FakeSupabase;
  let fixture: ReturnType<typeof createTestGateway>;

  beforeEach(async () => {
    supabase = await startFakeSupabase({ serviceKeys: ['service-role-key-A'] });
    fixture = createTestGateway();
    await fixture.gateway.createIntegration('ws_a', {
      provider: 'supabase',
      mode: 'live',
      credentials: { serviceRoleKey: 'service-role-key-A' },
      config: { url: supabase.url, allowedTables: ['accounts'] },
    });
  });

  afterEach(async () => {
    await fixture.gateway.close();
    await supabase.close();
  });

  const call = (tool: string, args: Record<string, unknown>) => fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool, args });

  it('queries an allowlisted table with filters, order and limit', async () => {
    const result = await call('supabase__query_table', {
      table: 'accounts',
      filters: [{ column: 'plan', operator: 'eq', value: 'pro' }],
      orderBy: { column: 'created_at', ascending: false },
      limit: 5,
    });
    expect(result.structuredContent).toMatchObject({ table: 'accounts', count: 2, rows: [{ name: 'Initech' }, { name: 'Acme' }] });
    const request = supabase.requests.at(-1);
    expect(request?.path).toBe('/rest/v1/accounts');
    expect(request?.query.get('plan')).toBe('eq.pro');
    expect(request?.headers.apikey).toBe('service-role-key-A');
  });

  it('refuses a table outside the allowlist without calling Supabase', async () => {
    const result = await call('supabase__query_table', { table: 'secrets' });
    expect(result.isError).toBe(true);
    expect(result.text.join(' ')).toContain('not in this integration');
    expect(supabase.requests).toHaveLength(0);
  });

  it('refuses identifiers that are not plain column names', async () => {
    const result = await call('supabase__query_table', { table: 'accounts', filters: [{ column: 'plan;drop', operator: 'eq', value: 'x' }] });
    expect(result.isError).toBe(true);
    expect(supabase.requests).toHaveLength(0);
  });

  it('lists recent sign-ups from the auth admin API', async () => {
    const result = await call('supabase__list_recent_signups', { sinceDays: 7 });
    expect(result.structuredContent).toMatchObject({ count: 1, users: [{ id: 'u1', email: 'new@acme.test' }] });
    expect(supabase.requests.at(-1)?.path).toBe('/auth/v1/admin/users');
  });

  it('marks both tools read-only', async () => {
    const { tools } = await fixture.gateway.listTools('ws_a');
    expect(tools.map((tool) => [tool.name, tool.annotations.readOnlyHint])).toEqual([
      ['supabase__list_recent_signups', true],
      ['supabase__query_table', true],
    ]);
  });
});
