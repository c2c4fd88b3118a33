import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** A plain Node HTTP server on loopback that answers every path with the MCP handler (tests, local tools). */
export async function startMcpHttpServer(options: McpHandlerOptions): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((incoming, outgoing) => {
    void (async () => {
      try {
        const response = await handleMcpRequest(toRequest(incoming, await readBody(incoming)), options);
        outgoing.writeHead(response.status, Object.fromEntries(response.headers));
        outgoing.end(Buffer.from(await response.arrayBuffer()));
      } catch (error) {
        outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end(error instanceof Error ? error.message : 'error');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
