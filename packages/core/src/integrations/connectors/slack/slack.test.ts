import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, startFakeSlack, type FakeSlack } from '../../../testing';

const actor = { type: 'workflow' as const, id: 'run_1', runId: 'run_1' };

describe('slack connector, live backend against a fake Slack Web API', () => {
  let slack: FakeSlack;
  let fixture: ReturnType<typeof createTestGateway>;

  beforeEach(async () => {
    slack = await startFakeSlack({ tokens: ['xoxb-workspace-a-token'] });
    fixture = createTestGateway();
    await fixture.gateway.createIntegration('ws_a', { provider: 'slack', mode: 'live', credentials: { botToken: 'xoxb-workspace-a-token' }, config: { baseUrl: `${slack.url}/api/` } });
  });

  afterEach(async () => {
    await fixture.gateway.close();
    await slack.close();
  });

  it('lists channels', async () => {
    const result = await fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'slack__list_channels', args: {} });
    expect(result.structuredContent).toEqual({
      channels: [
        { id: 'C01OPS', name: 'ops', isPrivate: false, memberCount: 7, topic: 'On-call' },
        { id: 'C02REV', name: 'revenue', isPrivate: true, memberCount: 3, topic: null },
      ],
    });
  });

  it('posts a message once per idempotency key', async () => {
    const request = { workspaceId: 'ws_a', actor, tool: 'slack__post_message', args: { channel: '#ops', text: 'MRR dipped 4%' }, idempotencyKey: 'run_1:notify' };
    const first = await fixture.gateway.callTool(request);
    const second = await fixture.gateway.callTool(request);
    expect(first.structuredContent).toMatchObject({ channel: 'C01OPS', sandbox: false });
    expect(second.deduplicated).toBe(true);
    expect(slack.messages).toEqual([{ channel: 'C01OPS', text: 'MRR dipped 4%', threadTs: null, token: 'xoxb-workspace-a-token' }]);
  });

  it('returns Slack API errors as tool errors without the token', async () => {
    const result = await fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'slack__post_message', args: { channel: '#nope', text: 'x' } });
    expect(result.isError).toBe(true);
    expect(result.text.join(' ')).toContain('channel_not_found');
    expect(JSON.stringify([result, fixture.store.toolCalls])).not.toContain('xoxb-workspace-a-token');
  });
});
