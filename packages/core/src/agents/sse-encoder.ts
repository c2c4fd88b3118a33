import { z } from 'zod';
import type { ChatEvent } from './events';

/** Body of `POST /api/v1/chat/{sessionId}/stream`: send `message` (omit it to only follow the stream). */
export const ChatStreamRequestBody = z.object({
  workspaceId: z.string().min(1).max(64),
  message: z.string().trim().min(1).max(8_000).optional(),
});
export type ChatStreamRequestBody = z.infer<typeof ChatStreamRequestBody>;

/** One Server-Sent Events frame: the seq as `id:` so browsers resend it as Last-Event-ID. */
export function formatSseFrame(event: ChatEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Turns a chat event stream into a `text/event-stream` body with `id:`
 * lines and comment pings (proxies close idle streams after about 60 s).
 * Cancelling the body (the client went away) stops the source iterator.
 */
export function encodeChatEventStream(events: AsyncIterable<ChatEvent>, options: { pingIntervalMs?: number } = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = events[Symbol.asyncIterator]();
  let ping: ReturnType<typeof setInterval> | undefined;
  const stop = async () => {
    clearInterval(ping);
    await iterator.return?.();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(': stream open\n\n'));
      ping = setInterval(() => controller.enqueue(encoder.encode(': ping\n\n')), options.pingIntervalMs ?? 15_000);
    },
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) {
          clearInterval(ping);
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(formatSseFrame(next.value)));
      } catch (error) {
        clearInterval(ping);
        controller.enqueue(encoder.encode(`event: error\ndata: ${JSON.stringify({ type: 'error', code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) })}\n\n`));
        controller.close();
      }
    },
    cancel: stop,
  });
}
