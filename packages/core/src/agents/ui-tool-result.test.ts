import { describe, expect, it } from 'vitest';
import { describeUiToolResult } from '../apps';
import { createTestAgentDeps } from './agent-test-support';
import { runChatTurn } from './orchestrator';
import type { ExperiencePort } from './ports';

const now = new Date('2026-11-25T00:00:00Z');
const widgetUri = 'ui://widget/mcp-dashboard-abc123.html';

function acceptingExperience(applied: boolean): ExperiencePort {
  return {
    applyPatch: () => Promise.resolve({ applied, version: applied ? 7 : null }),
    applyRequest: () =>
      Promise.resolve({ applied, version: applied ? 7 : null, patch: [{ op: 'add', path: '/elements/x', value: {} }], summary: 'Added a chart.' }),
  };
}

async function eventsFor(applied: boolean) {
  const { deps } = createTestAgentDeps(now, {
    experience: acceptingExperience(applied),
    describeUiToolResult: (tool) => Promise.resolve(describeUiToolResult(tool, widgetUri)),
  });
  const session = await deps.chats.createSession({ workspaceId: 'w1', title: 'ui', createdById: null });
  await runChatTurn(deps, { workspaceId: 'w1', sessionId: session.id, message: 'Add an MRR chart to the dashboard', actorId: 'user_1' });
  return deps.chats.listEventsAfter(session.id, 0, 1000);
}

describe('chat results of UI tools carry the widget metadata', () => {
  it('reports a changed dashboard as a show_dashboard result with the same URI in both keys', async () => {
    const events = await eventsFor(true);
    expect(events.some((event) => event.type === 'ui-patch' && event.applied)).toBe(true);
    const result = events.find((event) => event.type === 'tool-result' && event.tool === 'opspilot__show_dashboard');
    expect(result?.type === 'tool-result' ? result._meta : undefined).toEqual({
      ui: { resourceUri: widgetUri },
      'openai/outputTemplate': widgetUri,
      'openai/widgetAccessible': true,
    });
  });

  it('reports nothing when the patch was refused', async () => {
    const events = await eventsFor(false);
    expect(events.some((event) => event.type === 'tool-result' && event.tool === 'opspilot__show_dashboard')).toBe(false);
  });

  it('gives no metadata to tools that have no widget', () => {
    expect(describeUiToolResult('stripe__list_customers', widgetUri)).toBeNull();
    expect(describeUiToolResult('opspilot__metric_lookup', widgetUri)).toBeNull();
  });
});
