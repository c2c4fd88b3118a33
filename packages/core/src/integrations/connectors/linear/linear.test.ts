import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../guarded-fetch';
import { createTestGateway, type FakeLinear, settledCode, startFakeLinear } from '../../../testing';
import { createLinearLiveBackend } from './live-backend';

const actor = { type: 'agent' as const, id: 'agent_r', agentId: 'agent_r', sessionId: 'session_1' };

describe('linear connector, live backend against a fake Linear GraphQL API', () => {
  let linear: FakeLinear;
  let fixture: ReturnType<typeof createTestGateway>;

  beforeEach(async () => {
    linear = await startFakeLinear({ apiKeys: ['lin_api_workspaceAkey123'] });
    fixture = createTestGateway();
    await fixture.gateway.createIntegration('ws_a', {
      provider: 'linear',
      mode: 'live',
      credentials: { apiKey: 'lin_api_workspaceAkey123' },
      config: { baseUrl: `${linear.url}/graphql`, defaultTeamId: 'team-eng' },
    });
  });

  afterEach(async () => {
    await fixture.gateway.close();
    await linear.close();
  });

  it('lists issues filtered by team', async () => {
    const result = await fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'linear__list_issues', args: { teamId: 'team-ops' } });
    expect(result.structuredContent).toEqual({
      issues: [{ id: 'iss-2', identifier: 'OPS-7', title: 'Rotate webhook secret', state: 'Todo', priority: 3, url: 'https://linear.app/acme/issue/OPS-7', createdAt: '2026-11-21T09:00:00.000Z' }],
    });
    expect(linear.requests.at(-1)?.headers.authorization).toBe('lin_api_workspaceAkey123');
  });

  it('creates an issue in the default team once per key and audits the session', async () => {
    const request = { workspaceId: 'ws_a', actor, tool: 'linear__create_issue', args: { title: 'Investigate churn spike', priority: 2 }, idempotencyKey: 'chat-1' };
    const first = await fixture.gateway.callTool(request);
    const second = await fixture.gateway.callTool(request);
    expect(first.structuredContent).toMatchObject({ id: 'iss-3', identifier: 'ENG-3', title: 'Investigate churn spike', sandbox: false });
    expect(second.deduplicated).toBe(true);
    expect(linear.issues.filter((issue) => issue.title === 'Investigate churn spike')).toEqual([expect.objectContaining({ teamId: 'team-eng', priority: 2 })]);
    expect(fixture.store.toolCalls.map((row) => [row.status, row.actor.sessionId])).toEqual([['ok', 'session_1'], ['deduplicated', 'session_1']]);
  });

  it('reports a rejected API key as a tool error without the key', async () => {
    await fixture.gateway.createIntegration('ws_b', { provider: 'linear', mode: 'live', credentials: { apiKey: 'lin_api_wrongKey99999' }, config: { baseUrl: `${linear.url}/graphql` } });
    const result = await fixture.gateway.callTool({ workspaceId: 'ws_b', actor, tool: 'linear__list_issues', args: {} });
    expect(result.isError).toBe(true);
    expect(JSON.stringify([result, fixture.store.toolCalls])).not.toContain('lin_api_wrongKey99999');
  });
});

describe('linear live backend: connections dial only what the SSRF guard checked', () => {
  // The SDK only allows plain http to localhost, so the fake is reached as localhost and the policy decides what that name may dial.
  let linear: FakeLinear;
  let baseUrl: string;
  beforeEach(async () => {
    linear = await startFakeLinear({ apiKeys: ['lin_api_workspaceAkey123'] });
    baseUrl = `http://localhost:${new URL(linear.url).port}/graphql`;
  });
  afterEach(async () => {
    await linear.close();
  });
  const credentials = { apiKey: 'lin_api_workspaceAkey123' };

  it('dials through the guard: the policy\'s resolver is asked at connect time and its answer is used', async () => {
    const questions: string[] = [];
    const guardedFetch = createGuardedFetch({ resolveHost: async (hostname) => (questions.push(hostname), ['127.0.0.1']), allowedHosts: ['localhost'] });
    try {
      const issues = await createLinearLiveBackend(credentials, { baseUrl }, guardedFetch).listIssues({ limit: 5 });
      expect(issues.length).toBeGreaterThan(0);
      expect(questions).toEqual(['localhost']);
      expect(linear.requests).toHaveLength(1);
    } finally {
      await guardedFetch.close();
    }
  });

  it('refuses a connection to an address the guard forbids, without a request, as FORBIDDEN', async () => {
    const guardedFetch = createGuardedFetch({ resolveHost: async () => ['127.0.0.1'], allowedHosts: [] });
    try {
      expect(await settledCode(createLinearLiveBackend(credentials, { baseUrl }, guardedFetch).listIssues({ limit: 5 }))).toBe('FORBIDDEN');
      expect(linear.requests).toEqual([]);
    } finally {
      await guardedFetch.close();
    }
  });
});
