import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/** A small external MCP server over real Streamable HTTP (stateless), for gateway tests and benchmarks. */
export interface TestMcpServer {
  url: string;
  /** Headers of every HTTP request received. */
  requestHeaders: IncomingHttpHeaders[];
  /** Notes created by the `add_note` write tool. */
  notes: string[];
  close(): Promise<void>;
}

function buildServer(notes: string[]): McpServer {
  const server = new McpServer({ name: 'test-external', version: '1.0.0' });
  server.registerTool(
    'echo',
    {
      description: 'Echoes its input',
      inputSchema: { text: z.string() },
      outputSchema: { text: z.string() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ text }) => ({ content: [{ type: 'text', text }], structuredContent: { text } }),
  );
  server.registerTool(
    'slow',
    { description: 'Answers after a delay', inputSchema: { ms: z.number().int().min(0).max(60_000) }, annotations: { readOnlyHint: true } },
    async ({ ms }, extra) => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        extra.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return { content: [{ type: 'text', text: `waited ${ms} ms` }] };
    },
  );
  server.registerTool(
    'add_note',
    { description: 'Stores a note (a write)', inputSchema: { note: z.string() }, annotations: { readOnlyHint: false, destructiveHint: false } },
    async ({ note }) => {
      notes.push(note);
      return { content: [{ type: 'text', text: `stored note ${notes.length}` }], structuredContent: { count: notes.length } };
    },
  );
  server.registerTool('fail', { description: 'Always fails', inputSchema: {} }, async () => ({
    content: [{ type: 'text', text: 'upstream exploded' }],
    isError: true,
  }));
  server.registerTool('overloaded', { description: 'Always answers that it is overloaded', inputSchema: {} }, async () => ({
    content: [{ type: 'text', text: 'Service temporarily unavailable (503), try again later' }],
    isError: true,
  }));
  return server;
}

/** Starts the server on 127.0.0.1 with a random port; `url` ends in `/mcp`. */
export async function startTestMcpServer(): Promise<TestMcpServer> {
  const requestHeaders: IncomingHttpHeaders[] = [];
  const notes: string[] = [];
  const httpServer = createServer((request, response) => {
    requestHeaders.push(request.headers);
    // Stateless: a fresh server and transport per request, as the SDK recommends for scale-out.
    const server = buildServer(notes);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    void server.connect(transport).then(() => transport.handleRequest(request, response));
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requestHeaders,
    notes,
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}
