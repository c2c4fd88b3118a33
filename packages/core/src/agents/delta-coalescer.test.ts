import { describe, expect, it } from 'vitest';
import type { FakeCompletion } from '../testing/fake-openai-server';
import { planCompletion, runTurnOnFakeModel } from './agent-test-support';
import { createDeltaCoalescer } from './delta-coalescer';
import type { ChatEvent, ChatEventBody } from './events';

const delta = (text: string, agent: 'planner' | 'ops-intelligence' = 'ops-intelligence'): ChatEventBody => ({ type: 'text-delta', agent, text });
const textOf = (events: (ChatEvent | ChatEventBody)[]) => events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');

/** A coalescer over an array, with a manual clock so windows do not depend on the machine's speed. */
function recordWrites(options = { windowMs: 50, maxChars: 512 }) {
  const written: ChatEventBody[] = [];
  let clock = 0;
  let onWrite: (() => void) | null = null;
  const coalescer = createDeltaCoalescer(
    (body) => {
      written.push(body);
      onWrite?.();
      return Promise.resolve();
    },
    options,
    () => clock,
  );
  return {
    written,
    coalescer,
    advance: (ms: number) => (clock += ms),
    nextWrite: () => new Promise<void>((resolve) => (onWrite = resolve)),
  };
}

describe('createDeltaCoalescer', () => {
  it('writes the first delta at once and joins the ones that follow within the window', async () => {
    const { written, coalescer } = recordWrites();
    for (let index = 0; index < 300; index += 1) await coalescer.push(delta(`t${index} `));
    expect(written[0]).toEqual(delta('t0 '));
    await coalescer.flush();
    expect(written.length).toBeLessThan(10);
    expect(textOf(written)).toBe(Array.from({ length: 300 }, (_, index) => `t${index} `).join(''));
    for (const body of written.slice(1, -1)) expect(body.type === 'text-delta' && body.text.length).toBeGreaterThanOrEqual(512);
    coalescer.close();
  });

  it('writes waiting text before any other event, and before a delta of another agent', async () => {
    const { written, coalescer } = recordWrites();
    await coalescer.push(delta('a'));
    await coalescer.push(delta('b'));
    await coalescer.push(delta('c'));
    await coalescer.push({ type: 'tool-call', agent: 'ops-intelligence', callId: 'call_1', tool: 'opspilot__metric', args: {} });
    await coalescer.push(delta('d'));
    await coalescer.push(delta('e', 'planner'));
    await coalescer.flush();
    expect(written.map((body) => (body.type === 'text-delta' ? `${body.agent}:${body.text}` : body.type))).toEqual([
      'ops-intelligence:a',
      'ops-intelligence:bc',
      'tool-call',
      'ops-intelligence:d',
      'planner:e',
    ]);
  });

  it('writes a delta at once again once the window since the last delta write has passed', async () => {
    const { written, coalescer, advance } = recordWrites();
    await coalescer.push(delta('a'));
    advance(60);
    await coalescer.push(delta('b'));
    advance(10);
    await coalescer.push(delta('c'));
    expect(written.map((body) => body.type === 'text-delta' && body.text)).toEqual(['a', 'b']);
    await coalescer.flush();
    expect(written.map((body) => body.type === 'text-delta' && body.text)).toEqual(['a', 'b', 'c']);
    coalescer.close();
  });

  it('writes waiting text when the window ends, without another push', async () => {
    const { written, coalescer, nextWrite } = recordWrites({ windowMs: 5, maxChars: 512 });
    await coalescer.push(delta('first'));
    await coalescer.push(delta(' waits'));
    await nextWrite();
    expect(written.map((body) => body.type === 'text-delta' && body.text)).toEqual(['first', ' waits']);
  });

  it('writes every delta when the window is 0', async () => {
    const { written, coalescer } = recordWrites({ windowMs: 0, maxChars: 512 });
    for (const text of ['a', 'b', 'c']) await coalescer.push(delta(text));
    expect(written).toHaveLength(3);
  });

  it('fails the next push when a write failed, so the turn ends with an error', async () => {
    let calls = 0;
    const coalescer = createDeltaCoalescer(() => (++calls === 2 ? Promise.reject(new Error('database gone')) : Promise.resolve()), { windowMs: 50, maxChars: 4 }, () => 0);
    await coalescer.push(delta('a'));
    await expect(coalescer.push(delta('bcdef'))).rejects.toThrow('database gone');
    await expect(coalescer.push({ type: 'agent-status', agent: 'planner', status: 'finished' })).rejects.toThrow('database gone');
    coalescer.close();
  });
});

const plan = planCompletion([{ agent: 'ops-intelligence', goal: 'Answer at length' }]);
const parts = Array.from({ length: 300 }, (_, index) => `word${index} `);

describe('a model answer streamed as coalesced events', () => {
  it('stores 300 deltas as far fewer events whose text is the stream and the assistant message', async () => {
    const { events, deps, session } = await runTurnOnFakeModel([plan, { text: parts, usage: { promptTokens: 100, completionTokens: 300 } }], 'Tell me a long story about our ops');
    const deltas = events.filter((event) => event.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.length).toBeLessThan(60);
    expect(textOf(events)).toBe(parts.join(''));
    const messages = await deps.chats.listMessages('w1', session.id, { limit: 10 });
    expect(messages.at(-1)).toMatchObject({ role: 'assistant', content: parts.join('') });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    const done = events.at(-1);
    // Budgets count the provider's tokens (the plan's default 15 plus this answer's 400), not events.
    expect(done?.type === 'done' && done.usage.tokens).toBe(15 + 400);
  });

  it('still ends the turn on the token budget, whatever the number of events', async () => {
    const { events } = await runTurnOnFakeModel([plan, { text: parts, usage: { promptTokens: 100, completionTokens: 300 } }], 'Tell me a long story about our ops', { extra: { budgets: { maxTokens: 400 } } });
    const last = events.at(-1);
    expect(last?.type === 'error' && last.code).toBe('BUDGET_TOKENS');
    expect(textOf(events)).toBe(parts.join(''));
  });

  it('writes the text before a tool call in the middle of the answer first', async () => {
    const before = Array.from({ length: 50 }, (_, index) => `b${index} `);
    const after = Array.from({ length: 50 }, (_, index) => `a${index} `);
    const script: FakeCompletion[] = [
      plan,
      { text: before, toolCalls: [{ name: 'opspilot__metric', arguments: { metric: 'mrr', from: '2026-09-01T00:00:00Z', to: '2026-10-01T00:00:00Z' } }] },
      { text: after },
    ];
    const { events } = await runTurnOnFakeModel(script, 'Tell me about revenue at length');
    const call = events.findIndex((event) => event.type === 'tool-call');
    const result = events.findIndex((event) => event.type === 'tool-result');
    expect(call).toBeGreaterThan(0);
    expect(textOf(events.slice(0, call))).toBe(before.join(''));
    expect(textOf(events.slice(call, result + 1))).toBe('');
    expect(textOf(events.slice(result))).toBe(after.join(''));
    expect(events.filter((event) => event.type === 'text-delta').length).toBeLessThan(40);
  });

  it('stores every delta as its own event when coalescing is off', async () => {
    const { events } = await runTurnOnFakeModel([plan, { text: parts }], 'Tell me a long story about our ops', { extra: { deltaCoalescing: { windowMs: 0 } } });
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(300);
    expect(textOf(events)).toBe(parts.join(''));
  });
});
