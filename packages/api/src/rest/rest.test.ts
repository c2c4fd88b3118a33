import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, createTestCaller, createTestRuntime, signUpTestUser } from '../auth/testing';
import { appRouter } from '../router';
import type { Runtime } from '../runtime';
import { handleOpenApiRequest, handleRestRequest } from './handler';
import { createOpenApiDocument } from './openapi';

const httpMethods = ['get', 'post', 'put', 'patch', 'delete'] as const;

type OpenApiMetaRecord = { method: string; path: string; enabled?: boolean };

/** Every procedure carrying `openapi` metadata, as `METHOD /path`. */
function proceduresWithOpenApiMeta(): string[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { openapi?: OpenApiMetaRecord } } }>;
  return Object.values(procedures)
    .map((procedure) => procedure._def.meta?.openapi)
    .filter((openapi): openapi is OpenApiMetaRecord => Boolean(openapi) && openapi?.enabled !== false)
    .map((openapi) => `${openapi.method.toLowerCase()} ${openapi.path}`);
}

describe('the OpenAPI document', () => {
  const document = createOpenApiDocument('https://ops.example.com');

  it('is OpenAPI 3.x with servers, and every path has operations with a success response', () => {
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(document.info.title).toBe('OpsPilot API');
    expect(document.servers).toEqual([{ url: 'https://ops.example.com/api' }]);
    const paths = Object.entries(document.paths ?? {});
    expect(paths.length).toBeGreaterThan(0);
    const operationIds = new Set<string>();
    for (const [path, item] of paths) {
      expect(path).toMatch(/^\/v1\//);
      const operations = httpMethods.filter((method) => item[method]);
      expect(operations.length, path).toBeGreaterThan(0);
      for (const method of operations) {
        const operation = item[method];
        const codes = Object.keys(operation?.responses ?? {});
        expect(codes.some((code) => code.startsWith('2')), `${method} ${path}`).toBe(true);
        for (const parameter of path.match(/\{(\w+)\}/g) ?? []) {
          const name = parameter.slice(1, -1);
          const declared = (operation?.parameters ?? []).some((entry) => 'name' in entry && entry.name === name && entry.in === 'path');
          expect(declared, `${method} ${path} declares ${name}`).toBe(true);
        }
        expect(operation?.operationId).toBeTruthy();
        expect(operationIds.has(operation?.operationId ?? '')).toBe(false);
        operationIds.add(operation?.operationId ?? '');
      }
    }
  });

  it('lists every procedure that has openapi metadata, and nothing else but the hand-described chat stream', () => {
    const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      httpMethods.filter((method) => item[method]).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual([...proceduresWithOpenApiMeta(), 'post /v1/chat/{sessionId}/stream'].sort());
    expect(documented).toEqual(
      expect.arrayContaining([
        'get /v1/workspaces',
        'post /v1/workspaces',
        'get /v1/workspaces/{workspaceId}/members',
        'post /v1/workspaces/{workspaceId}/api-keys',
        'delete /v1/workspaces/{workspaceId}/api-keys/{apiKeyId}',
      ]),
    );
  });

  it('is served at /api/openapi.json for the origin it was asked on', async () => {
    const response = handleOpenApiRequest(new Request('http://127.0.0.1:3999/api/openapi.json'));
    expect(response.status).toBe(200);
    const served = (await response.json()) as { servers: { url: string }[] };
    expect(served.servers[0]?.url).toBe('http://127.0.0.1:3999/api');
  });
});

describe('REST under /api/v1', () => {
  let runtime: Runtime;
  let workspaceId: string;
  let otherWorkspaceId: string;
  let secret: string;

  beforeAll(async () => {
    runtime = await createTestRuntime();
    const owner = await createTestCaller(runtime, asUser(await signUpTestUser(runtime, 'Rest')));
    workspaceId = (await owner.workspace.create({ name: 'Rest Co' })).id;
    secret = (await owner.apiKey.create({ workspaceId, name: 'rest', scopes: ['read', 'write', 'admin'] })).secret;
    const stranger = await createTestCaller(runtime, asUser(await signUpTestUser(runtime, 'Stranger')));
    otherWorkspaceId = (await stranger.workspace.create({ name: 'Elsewhere' })).id;
  });
  afterAll(async () => {
    await runtime.close();
  });

  const call = (method: string, path: string, options: { key?: string; body?: unknown } = {}) =>
    handleRestRequest(
      new Request(`http://localhost/api${path}`, {
        method,
        headers: {
          ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      }),
      runtime,
    );

  it("lists the key's workspace at GET /api/v1/workspaces and 401s without a key", async () => {
    const listed = await call('GET', '/v1/workspaces', { key: secret });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual([expect.objectContaining({ id: workspaceId, role: 'admin' })]);
    const anonymous = await call('GET', '/v1/workspaces');
    expect(anonymous.status).toBe(401);
    const malformed = await call('GET', '/v1/workspaces', { key: 'opk_nope' });
    expect(malformed.status).toBe(401);
    expect(await malformed.json()).toEqual(await (await call('GET', '/v1/workspaces')).json());
  });

  it('creates, lists and revokes a key over REST, answers 404 for a foreign workspace and 400 for bad input', async () => {
    const created = await call('POST', `/v1/workspaces/${workspaceId}/api-keys`, { key: secret, body: { name: 'made over REST', scopes: ['read'] } });
    expect(created.status).toBe(200);
    const { apiKey, secret: newSecret } = (await created.json()) as { apiKey: { id: string }; secret: string };
    expect(newSecret).toMatch(/^opk_/);
    const listed = (await (await call('GET', `/v1/workspaces/${workspaceId}/api-keys?limit=10`, { key: secret })).json()) as { items: { id: string }[] };
    expect(listed.items.map((key) => key.id)).toContain(apiKey.id);
    expect((await call('DELETE', `/v1/workspaces/${workspaceId}/api-keys/${apiKey.id}`, { key: secret })).status).toBe(200);
    expect((await call('GET', `/v1/workspaces/${workspaceId}/members`, { key: newSecret })).status).toBe(401);

    expect((await call('GET', `/v1/workspaces/${otherWorkspaceId}/members`, { key: secret })).status).toBe(404);
    const before = await runtime.db.prisma.apiKey.count();
    expect((await call('POST', `/v1/workspaces/${otherWorkspaceId}/api-keys`, { key: secret, body: { name: 'x', scopes: ['read'] } })).status).toBe(404);
    expect((await call('POST', `/v1/workspaces/${workspaceId}/api-keys`, { key: secret, body: { name: '', scopes: [] } })).status).toBe(400);
    expect((await call('GET', `/v1/workspaces/${workspaceId}/members?limit=1000`, { key: secret })).status).toBe(400);
    expect(await runtime.db.prisma.apiKey.count()).toBe(before);
  });
});
