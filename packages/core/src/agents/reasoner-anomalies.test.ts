import { describe, expect, it } from 'vitest';
import { createSmallBusinessData, createTestAgentDeps } from './agent-test-support';
import { describeAnomaly } from './format';
import { runChatTurn } from './orchestrator';
import type { AnomalyInfo } from './ports';

const now = new Date('2026-11-25T00:00:00Z');

// Stored as detection stores them since decision 0011: in the series' own units.
const anomalies: AnomalyInfo[] = [
  { metric: 'churned_customers', segment: 'growth', windowStart: new Date('2026-11-20T00:00:00Z'), windowEnd: new Date('2026-11-21T00:00:00Z'), expected: 1.192_345, actual: 11, direction: 'up', severity: 'critical' },
  { metric: 'latency_p95', segment: '', windowStart: new Date('2026-11-22T10:00:00Z'), windowEnd: new Date('2026-11-22T10:05:00Z'), expected: 212.345_678, actual: 812.5, direction: 'up', severity: 'warning' },
  { metric: 'error_count', segment: '', windowStart: new Date('2026-11-22T10:00:00Z'), windowEnd: new Date('2026-11-22T10:05:00Z'), expected: 3.456, actual: 57, direction: 'up', severity: 'critical' },
];

async function answer(message: string): Promise<string> {
  const data = { ...createSmallBusinessData(), listAnomalies: () => Promise.resolve(anomalies) };
  const { deps } = createTestAgentDeps(now, { data });
  const session = await deps.chats.createSession({ workspaceId: 'w1', title: 'anomalies', createdById: null });
  await runChatTurn(deps, { workspaceId: 'w1', sessionId: session.id, message, actorId: 'user_1' });
  const events = await deps.chats.listEventsAfter(session.id, 0, 1000);
  return events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');
}

describe('the reasoner states anomalies in their metrics\' units', () => {
  it('names the metric and gives counts, windows and milliseconds as people read them', () => {
    expect(describeAnomaly(anomalies[0]!)).toBe('Churned customers (growth): 11 against an expected 1.19 (sum over 7 days)');
    expect(describeAnomaly(anomalies[1]!)).toBe('Latency p95: 812.50 ms against an expected 212.35 ms');
    expect(describeAnomaly({ metric: 'not_a_metric', segment: '', actual: 2.5, expected: 1 })).toBe('not_a_metric: 2.5 against an expected 1');
  });

  it('lists them in "what is wrong?"', async () => {
    const text = await answer('What is wrong?');
    expect(text).toContain('- Anomaly on Churned customers (growth): 11 against an expected 1.19 (sum over 7 days), up (critical) at 2026-11-20 00:00 UTC');
    expect(text).toContain('- Anomaly on API errors: 57 against an expected 3.46, up (critical)');
  });

  it('relates the watched error count to a question about the error rate', async () => {
    const text = await answer('Why did the error rate go up last week?');
    expect(text).toContain('Anomaly on API errors: 57 against an expected 3.46, up at 2026-11-22 10:00 UTC.');
    expect(text).not.toContain('Churned customers');
  });
});
