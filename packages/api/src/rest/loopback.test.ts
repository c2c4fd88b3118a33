import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, createTestCaller, createTestRuntime, signUpTestUser } from '../auth/testing';
import { createOpsPilotClient } from '../client';
import { createContext } from '../context';
import { appendResponseHeaders } from '../rate-limit';
import { appRouter } from '../router';
import type { Runtime } from '../runtime';
import { handleAuthRequest, handleOpenApiRequest, handleRestRequest } from './handler';

async function toRequest(message: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  const hasBody = message.method !== 'GET' && message.method !== 'HEAD' && chunks.length > 0;
  return new Request(new URL(message.url ?? '/', origin), { method: message.method ?? 'GET', headers, ...(hasBody ? { body: Buffer.concat(chunks) } : {}) });
}

/** The web app's routes, minus Next.js: the same handlers on a plain Node server. */
async function route(runtime: Runtime, request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (path.startsWith('/api/auth/')) return handleAuthRequest(request, runtime);
  if (path === '/api/openapi.json') return handleOpenApiRequest(request);
  if (path.startsWith('/api/v1/')) return handleRestRequest(request, runtime);
  const responseHeaders = new Headers();
  const response = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    maxBatchSize: runtime.limits.maxBatchSize,
    createContext: () => createContext({ runtime, headers: request.headers, responseHeaders }),
  });
  return appendResponseHeaders(response, responseHeaders);
}

async function send(response: Response, target: ServerResponse): Promise<void> {
  target.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') target.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) target.setHeader('set-cookie', cookies);
  target.end(Buffer.from(await response.arrayBuffer()));
}

describe('the API over real HTTP on loopback', () => {
  let runtime: Runtime;
  let server: Server;
  let baseUrl: string;
  let workspaceId: string;
  let apiKey: string;

  beforeAll(async () => {
    runtime = await createTestRuntime();
    server = createServer((message, target) => {
      void toRequest(message, baseUrl)
        .then((request) => route(runtime, request))
        .then((response) => send(response, target))
        .catch((error: unknown) => {
          target.statusCode = 500;
          target.end(String(error));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const owner = await createTestCaller(runtime, asUser(await signUpTestUser(runtime, 'Loopback')));
    workspaceId = (await owner.workspace.create({ name: 'Loopback' })).id;
    apiKey = (await owner.apiKey.create({ workspaceId, name: 'docs example', scopes: ['read', 'write', 'admin'] })).secret;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await runtime.close();
  });

  it('the typed client from docs/api.md works with an API key (batched queries and a mutation)', async () => {
    const opspilot = createOpsPilotClient({ baseUrl, apiKey });
    const [workspaces, members] = await Promise.all([
      opspilot.workspace.list.query(),
      opspilot.member.list.query({ workspaceId, limit: 20 }),
    ]);
    expect(workspaces.map((workspace) => workspace.id)).toEqual([workspaceId]);
    expect(members.items).toHaveLength(1);
    const { secret } = await opspilot.apiKey.create.mutate({ workspaceId, name: 'ci', scopes: ['read'] });
    expect(secret).toMatch(/^opk_/);
    const unauthenticated = createOpsPilotClient({ baseUrl, apiKey: 'opk_wrong' });
    await expect(unauthenticated.workspace.list.query()).rejects.toMatchObject({ data: { httpStatus: 401 } });
  });

  it('the curl examples answer: REST with a bearer key, and the OpenAPI document', async () => {
    const response = await fetch(`${baseUrl}/api/v1/workspaces`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([expect.objectContaining({ id: workspaceId })]);
    const document = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as { openapi: string; servers: { url: string }[] };
    expect(document.openapi).toMatch(/^3\./);
    expect(document.servers[0]?.url).toBe(`${baseUrl}/api`);
  });

  it('refuses a tRPC batch over the cap with 400', async () => {
    const calls = runtime.limits.maxBatchSize + 1;
    const paths = Array.from({ length: calls }, () => 'auth.me').join(',');
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: calls }, (_, index) => [index, null]))));
    const response = await fetch(`${baseUrl}/api/trpc/${paths}?batch=1&input=${input}`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(response.status).toBe(400);
  });
});
