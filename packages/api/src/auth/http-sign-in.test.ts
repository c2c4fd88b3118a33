import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../context';
import { handleAuthRequest, handleRestRequest } from '../rest';
import { appRouter } from '../router';
import type { Runtime } from '../runtime';
import { appendResponseHeaders } from '../rate-limit';
import { cookieFrom, createTestRuntime, signUpTestUser, type TestUser } from './testing';

/** The tRPC fetch adapter as the web app mounts it, on the test runtime. */
async function postTrpc(runtime: Runtime, path: string, body: unknown, headers: Record<string, string> = {}) {
  // A void input goes the way the console's batch link sends it: `?batch=1` with `{}`.
  const url = `http://localhost/api/trpc/${path}${body === undefined ? '?batch=1' : ''}`;
  const request = new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? '{}' : JSON.stringify(body),
  });
  const responseHeaders = new Headers();
  const response = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: () => createContext({ runtime, headers: request.headers, responseHeaders }),
  });
  return appendResponseHeaders(response, responseHeaders);
}

describe('sign-in over HTTP', () => {
  let runtime: Runtime;
  let user: TestUser;

  beforeAll(async () => {
    runtime = await createTestRuntime();
    user = await signUpTestUser(runtime, 'Http');
  });
  afterAll(async () => {
    await runtime.close();
  });

  it("the sign-in page's request sets an HttpOnly session cookie that REST accepts; sign-out clears it", async () => {
    const response = await postTrpc(runtime, 'auth.signIn', { email: user.email, password: user.password });
    expect(response.status).toBe(200);
    const setCookie = response.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/session_token=.+HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = cookieFrom(response.headers);
    const me = await handleRestRequest(new Request('http://localhost/api/v1/me', { headers: { cookie } }), runtime);
    expect(await me.json()).toMatchObject({ kind: 'user', email: user.email });

    const signOut = await postTrpc(runtime, 'auth.signOut', undefined, { cookie });
    expect(signOut.status).toBe(200);
    expect(signOut.headers.getSetCookie().join('\n')).toMatch(/session_token=;/);
    const after = await handleRestRequest(new Request('http://localhost/api/v1/me', { headers: { cookie } }), runtime);
    expect(after.status).toBe(401);
  });

  it('answers a wrong password with 401 and sets no cookie', async () => {
    const response = await postTrpc(runtime, 'auth.signIn', { email: user.email, password: 'wrong-password-123' });
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(JSON.stringify(await response.json())).toContain('Invalid email or password.');
  });

  it("serves better-auth's own endpoints under /api/auth", async () => {
    const response = await handleAuthRequest(
      new Request('http://localhost/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost' },
        body: JSON.stringify({ email: user.email, password: user.password }),
      }),
      runtime,
    );
    expect(response.status).toBe(200);
    const session = await handleAuthRequest(
      new Request('http://localhost/api/auth/get-session', { headers: { cookie: cookieFrom(response.headers) } }),
      runtime,
    );
    expect(await session.json()).toMatchObject({ user: { email: user.email } });
  });
});
