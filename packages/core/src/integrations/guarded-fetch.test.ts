import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, type FakeHttpServer, settledCode, startFakeHttpServer, startTestMcpServer, type TestMcpServer } from '../testing';
import { createGuardedFetch } from './guarded-fetch';
import { assertSafeOutboundUrl, type ResolveHost } from './ssrf-guard';

const actor = { type: 'user' as const, id: 'user_1' };

/** A hostile DNS server: a public address for the first question, then the private one. */
function rebindingResolver(privateAddress: string): ResolveHost & { questions: string[] } {
  const questions: string[] = [];
  const resolve = async (hostname: string) => {
    questions.push(hostname);
    return questions.length === 1 ? ['93.184.216.34'] : [privateAddress];
  };
  return Object.assign(resolve, { questions });
}

describe('SSRF guard at connect time (DNS rebinding)', () => {
  let server: FakeHttpServer;
  beforeEach(async () => {
    server = await startFakeHttpServer(() => ({ body: { reached: true } }));
  });
  afterEach(async () => {
    await server.close();
  });

  it.each(['127.0.0.1', '169.254.169.254'])('a name that answers public to the check and %s to the connection reaches nothing', async (privateAddress) => {
    const resolveHost = rebindingResolver(privateAddress);
    const policy = { resolveHost, allowedHosts: [] };
    const url = `http://rebind.test:${server.port}/mcp`;
    expect(await settledCode(assertSafeOutboundUrl(url, policy))).toBe('ok');
    const guardedFetch = createGuardedFetch(policy);
    try {
      expect(await settledCode(guardedFetch(url, { method: 'POST', body: '{}' }))).toBe('FORBIDDEN');
    } finally {
      await guardedFetch.close();
    }
    expect(resolveHost.questions).toEqual(['rebind.test', 'rebind.test']);
    expect(server.requests).toEqual([]);
  });

  it('connects to the address the resolver answered at connect time (the same path, allowed on purpose)', async () => {
    // Control for the test above: the connection really dials what the resolver says, so a refusal there is the guard.
    const questions: string[] = [];
    const resolveHost = async (hostname: string) => {
      questions.push(hostname);
      return ['127.0.0.1'];
    };
    const guardedFetch = createGuardedFetch({ resolveHost, allowedHosts: ['rebind.test'] });
    try {
      const response = await guardedFetch(`http://rebind.test:${server.port}/ping`);
      expect(await response.json()).toEqual({ reached: true });
    } finally {
      await guardedFetch.close();
    }
    expect(questions).toEqual(['rebind.test']);
    expect(server.requests.map((request) => `${request.path} ${String(request.headers.host)}`)).toEqual([`/ping rebind.test:${server.port}`]);
  });

  it('refuses literal private addresses, userinfo and redirects before any socket opens', async () => {
    const guardedFetch = createGuardedFetch({ allowedHosts: [] });
    try {
      expect(await settledCode(guardedFetch(`http://127.0.0.1:${server.port}/`))).toBe('FORBIDDEN');
      expect(await settledCode(guardedFetch(`http://user:secret@example.com/`))).toBe('BAD_REQUEST');
    } finally {
      await guardedFetch.close();
    }
    expect(server.requests).toEqual([]);
    const redirecting = await startFakeHttpServer(() => ({ status: 302, headers: { location: `${server.url}/inside` }, body: '' }));
    const allowed = createGuardedFetch({ allowedHosts: ['127.0.0.1'] });
    try {
      expect(await settledCode(allowed(`${redirecting.url}/out`))).not.toBe('ok');
    } finally {
      await allowed.close();
      await redirecting.close();
    }
    expect(server.requests).toEqual([]);
  });
});

describe('gateway to an external MCP server behind a rebinding name', () => {
  let upstream: TestMcpServer;
  beforeEach(async () => {
    upstream = await startTestMcpServer();
  });
  afterEach(async () => {
    await upstream.close();
  });

  it('accepts the server on create (public answer) and refuses the connection (loopback answer) without a request', async () => {
    const resolveHost = rebindingResolver('127.0.0.1');
    const fixture = createTestGateway({ outboundPolicy: { resolveHost, allowedHosts: [] } });
    try {
      const port = new URL(upstream.url).port;
      await fixture.gateway.createMcpServer('ws_a', { name: 'ext', url: `http://rebind.test:${port}/mcp` });
      expect(await settledCode(fixture.gateway.callTool({ workspaceId: 'ws_a', actor, tool: 'ext__echo', args: { text: 'x' } }))).toBe('FORBIDDEN');
      expect(upstream.requestHeaders).toEqual([]);
      expect(fixture.store.toolCalls.at(-1)).toMatchObject({ status: 'forbidden' });
    } finally {
      await fixture.gateway.close();
    }
  });
});
