import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake vendor server received, for assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

export type FakeHandler = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

/** A local HTTP server on 127.0.0.1 with a random port, recording every request. */
export interface FakeHttpServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, result: FakeResponse): void {
  const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
  response.writeHead(result.status ?? 200, { 'content-type': 'application/json', ...result.headers });
  response.end(text);
}

/** Starts a fake vendor API; the handler answers in the vendor's wire format. */
export async function startFakeHttpServer(handler: FakeHandler): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body: await readBody(request),
      };
      requests.push(recorded);
      try {
        send(response, await handler(recorded));
      } catch (error) {
        send(response, { status: 500, body: { error: String(error) } });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The bearer token of a recorded request, or null. */
export function readBearer(request: RecordedRequest): string | null {
  const header = request.headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  return value.replace(/^Bearer\s+/i, '');
}

/** Parses a JSON or form-encoded request body into a flat object. */
export function parseBody(request: RecordedRequest): Record<string, unknown> {
  if (request.body === '') return {};
  const type = String(request.headers['content-type'] ?? '');
  if (type.includes('application/json')) return JSON.parse(request.body) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(request.body));
}
