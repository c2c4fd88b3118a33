import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleOAuthRequest } from '../auth/oauth';
import { handleMcpRequest, type McpHandlerOptions } from './handler';

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toRequest(incoming: IncomingMessage, body: Buffer): Request {
  const headers = new Headers();
  for (let index = 0; index < incoming.rawHeaders.length; index += 2) headers.append(incoming.rawHeaders[index]!, incoming.rawHeaders[index + 1]!);
  const method = incoming.method ?? 'GET';
  return new Request(`http://${incoming.headers.host ?? 'localhost'}${incoming.url ?? '/'}`, {
    method, headers, ...(method === 'GET' || method === 'HEAD' || body.length === 0 ? {} : { body }),
  });
}

/** OAuth metadata and endpoints go to the authorization server, everything else to the MCP handler (as the web app routes them). */
function dispatch(request: Request, options: McpHandlerOptions): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname.startsWith('/.well-known/') || pathname.startsWith('/oauth/')) return handleOAuthRequest(request, options);
  return handleMcpRequest(request, options);
}

/** A plain Node HTTP server on loopback that answers /mcp, OAuth metadata and OAuth endpoints (tests, local tools). */
export async function startMcpHttpServer(options: McpHandlerOptions): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((incoming, outgoing) => {
    void (async () => {
      try {
        const response = await dispatch(toRequest(incoming, await readBody(incoming)), options);
        const headers: Record<string, string | string[]> = Object.fromEntries(response.headers);
        if (response.headers.getSetCookie().length > 0) headers['set-cookie'] = response.headers.getSetCookie();
        outgoing.writeHead(response.status, headers);
        outgoing.end(Buffer.from(await response.arrayBuffer()));
      } catch (error) {
        outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end(error instanceof Error ? error.message : 'error');
      }
    })();
  });
  // Node closes an idle keep-alive socket after 5 s, and fetch may pick that socket for its next request at the
  // same moment (read ECONNRESET, seen once in a loaded run of mcp.test.ts). Idle sockets stay open longer than
  // any pause between a test's requests; close() still ends them at once (Node closes idle connections on close).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
