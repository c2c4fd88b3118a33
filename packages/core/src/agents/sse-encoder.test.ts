import { describe, expect, it } from 'vitest';
import type { ChatEvent } from './events';
import { encodeChatEventStream } from './sse-encoder';

const event = (seq: number, text: string): ChatEvent => ({ type: 'text-delta', agent: 'planner', text, sessionId: 's1', seq, at: '2026-11-25T00:00:00.000Z' });

async function* source(events: ChatEvent[], finished: { value: boolean }) {
  try {
    for (const item of events) yield item;
  } finally {
    finished.value = true;
  }
}

describe('encodeChatEventStream', () => {
  it('writes one frame per event with the seq as the SSE id', async () => {
    const finished = { value: false };
    const body = await new Response(encodeChatEventStream(source([event(3, 'a'), event(4, 'b\nc')], finished))).text();
    const frames = body.split('\n\n').filter((frame) => frame.startsWith('id:'));
    expect(frames).toHaveLength(2);
    expect(frames[0]).toBe(`id: 3\nevent: text-delta\ndata: ${JSON.stringify(event(3, 'a'))}`);
    expect(JSON.parse(frames[1]!.split('\n')[2]!.slice(6))).toMatchObject({ seq: 4, text: 'b\nc' });
    expect(finished.value).toBe(true);
  });

  it('stops the source when the client cancels', async () => {
    const finished = { value: false };
    async function* endless() {
      try {
        for (let seq = 1; ; seq += 1) yield event(seq, 'x');
      } finally {
        finished.value = true;
      }
    }
    const reader = encodeChatEventStream(endless()).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(finished.value).toBe(true);
  });
});
