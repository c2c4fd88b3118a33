import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, startFakeNotion, type FakeNotion } from '../../../testing';

const actor = { type: 'user' as const, id: 'user_1' };

describe('notion connector, live backend against a fake Notion API', () => {
  let notion: FakeNotion;
  let fixture: ReturnType<typeof createTestGateway>;

  beforeEach(async () => {
    notion = await startFakeNotion({ tokens: ['ntn_workspaceAtoken1234'] });
    fixture = createTestGateway();
    await fixture.gateway.createIntegration('ws_a', {
      provider: 'notion',
      mode: 'live',
      credentials: { token: 'ntn_workspaceAtoken1234' },
      config: { baseUrl: notion.url, defaultParentPageId: 'page-incidents' },
    });
  });

  afterEach(async () => {
    await fixture.gateway.close();
    await notion.close();
  });

  it('searches pages by title', async () => {
    const result = await fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'notion__search', args: { query: 'runbook' } });
    expect(result.structuredContent).toEqual({
      results: [{ id: 'page-runbook', object: 'page', title: 'Incident runbook', url: 'https://www.notion.so/page-runbook', lastEditedAt: '2026-11-20T10:00:00.000Z' }],
    });
    expect(notion.requests.at(-1)?.headers['notion-version']).toBeTruthy();
  });

  it('creates a page under the default parent with paragraphs, once per key', async () => {
    const request = {
      workspaceId: 'ws_a',
      actor,
      tool: 'notion__create_page',
      args: { title: 'Postmortem: checkout errors', content: 'What happened.\n\nWhat we changed.' },
      idempotencyKey: 'k-1',
    };
    const first = await fixture.gateway.callTool(request);
    await fixture.gateway.callTool(request);
    expect(first.structuredContent).toMatchObject({ id: 'page-3', title: 'Postmortem: checkout errors', sandbox: false });
    expect(notion.pages.at(-1)).toEqual({ id: 'page-3', parentPageId: 'page-incidents', title: 'Postmortem: checkout errors', paragraphs: ['What happened.', 'What we changed.'] });
    expect(notion.pages).toHaveLength(3);
  });
});
