import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted model answer: streamed text chunks, tool calls, or an HTTP error. */
export type FakeCompletion =
  | { text: string[]; usage?: { promptTokens: number; completionTokens: number }; delayMs?: number }
  | { toolCalls: { name: string; arguments: Record<string, unknown> }[]; text?: string[]; usage?: { promptTokens: number; completionTokens: number } }
  | { error: { status: number; message: string } };

/** A chat-completions request as the fake received it. */
export interface FakeOpenAiRequest {
  model: string;
  messages: { role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  stream?: boolean;
  /** The Authorization header the request carried. */
  authorization?: string;
}

export interface FakeOpenAiServer {
  /** Base URL including `/v1`, for `createOpenAICompatible({ baseURL })`. */
  baseUrl: string;
  requests: FakeOpenAiRequest[];
  close(): Promise<void>;
}

function chunk(response: ServerResponse, body: Record<string, unknown>): void {
  response.write(`data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: 'fake', ...body })}\n\n`);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function streamCompletion(response: ServerResponse, completion: Exclude<FakeCompletion, { error: unknown }>, requestIndex: number): Promise<void> {
  const delayMs = 'delayMs' in completion ? (completion.delayMs ?? 0) : 0;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  chunk(response, { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
  for (const text of completion.text ?? []) {
    // A pause between chunks lets tests drop a stream while the answer is still being written.
    if (delayMs > 0) await pause(delayMs);
    chunk(response, { choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
  }
  const toolCalls = 'toolCalls' in completion ? completion.toolCalls : [];
  toolCalls.forEach((call, index) => {
    const id = `call_${requestIndex}_${index}`;
    chunk(response, { choices: [{ index: 0, delta: { tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } }] }, finish_reason: null }] });
  });
  chunk(response, { choices: [{ index: 0, delta: {}, finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop' }] });
  const usage = completion.usage ?? { promptTokens: 10, completionTokens: 5 };
  chunk(response, { choices: [], usage: { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.promptTokens + usage.completionTokens } });
  response.end('data: [DONE]\n\n');
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8')) as unknown;
}

/**
 * A local OpenAI-compatible server (`POST /v1/chat/completions`, streamed
 * SSE chunks with tool calls and usage) answering from a script, so the
 * AI SDK path runs over real HTTP in tests and benchmarks.
 */
export async function startFakeOpenAiServer(script: FakeCompletion[] | ((request: FakeOpenAiRequest, index: number) => FakeCompletion)): Promise<FakeOpenAiServer> {
  const requests: FakeOpenAiRequest[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      const body = (await readJson(request)) as FakeOpenAiRequest;
      if (request.headers.authorization) body.authorization = request.headers.authorization;
      const index = requests.length;
      requests.push(body);
      const completion = typeof script === 'function' ? script(body, index) : (script[index] ?? { text: ['(the script has no more answers)'] });
      if ('error' in completion) {
        response.writeHead(completion.error.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: completion.error.message, type: 'server_error', code: null } }));
        return;
      }
      await streamCompletion(response, completion, index);
    })().catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
