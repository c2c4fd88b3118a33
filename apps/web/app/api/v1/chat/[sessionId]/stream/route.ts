import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { appRouter, createContext } from '@opspilot/api';
import { clientIp, getRuntime } from '@opspilot/api/server';
import { ChatStreamRequestBody, encodeChatEventStream, type ChatEvent } from '@opspilot/core/agents';

export const dynamic = 'force-dynamic';

function problem(status: number, message: string): Response {
  return Response.json({ error: { message } }, { status });
}

/** tracked() values reach a server-side caller as `[id, data, marker]` tuples. */
async function* unwrapTracked(source: AsyncIterable<unknown>): AsyncGenerator<ChatEvent> {
  for await (const envelope of source) yield (Array.isArray(envelope) ? envelope[1] : envelope) as ChatEvent;
}

/**
 * POST /api/v1/chat/{sessionId}/stream with `{ workspaceId, message }` and a
 * bearer key (or console cookie): sends the message and streams the turn's
 * events as text/event-stream until `done` or `error`. With a Last-Event-ID
 * header it only resumes after that seq (the message is not sent again).
 */
export async function POST(request: Request, { params }: { params: Promise<{ sessionId: string }> }): Promise<Response> {
  const { sessionId } = await params;
  const parsed = ChatStreamRequestBody.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return problem(400, 'Send a JSON body {"workspaceId": "...", "message": "..."}.');
  const { workspaceId, message } = parsed.data;
  const runtime = await getRuntime();
  const context = await createContext({ runtime, headers: request.headers, ip: clientIp(request) });
  const caller = appRouter.createCaller(context, { signal: request.signal });
  try {
    let lastEventId = request.headers.get('last-event-id') ?? undefined;
    if (lastEventId === undefined && message) lastEventId = String((await caller.chat.send({ workspaceId, sessionId, message })).afterSeq);
    const events = await caller.chat.onEvents({ workspaceId, sessionId, untilDone: true, ...(lastEventId ? { lastEventId } : {}) });
    return new Response(encodeChatEventStream(unwrapTracked(events)), {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
    });
  } catch (error) {
    if (error instanceof TRPCError) return problem(getHTTPStatusCodeFromError(error), error.message);
    throw error;
  }
}
