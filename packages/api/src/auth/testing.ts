import { createHash, randomBytes } from 'node:crypto';
import { silentLogger } from '@opspilot/core/ports';
import { authenticateOAuthAccessToken } from './oauth';
import { createAuthorizationCode, exchangeAuthorizationCode, registerOAuthClient } from './oauth/oauth-store';
import { createContext } from '../context';
import type { RequestLimits } from '../rate-limit';
import { handleRestRequest } from '../rest/handler';
import { appRouter } from '../router';
import { createRuntime, type CreateRuntimeOptions, type Runtime } from '../runtime';

/** Limits high enough that tests which are not about rate limits never hit them. */
const relaxedLimits: Partial<RequestLimits> = { perPrincipalPerMinute: 1_000_000, perIpPerMinute: 1_000_000, signInPerMinute: 1_000 };

export interface TestRuntimeOptions extends Omit<CreateRuntimeOptions, 'env'> {
  /** Variables added to the test environment (NODE_ENV=test, an in-memory database). */
  env?: Record<string, string>;
}

/**
 * The real composition root on a throwaway in-memory database: silent, without the demo seed and
 * with relaxed rate limits unless the options say otherwise.
 */
export function createTestRuntime(options: TestRuntimeOptions = {}): Promise<Runtime> {
  const { env, limits, ...rest } = options;
  return createRuntime({
    seedWhenEmpty: false,
    logger: silentLogger,
    printDemoCredentials: false,
    ...rest,
    env: { NODE_ENV: 'test', OPSPILOT_DATA_DIR: 'memory://', ...env },
    limits: { ...relaxedLimits, ...limits },
  });
}

export interface TestUser {
  userId: string;
  email: string;
  password: string;
  /** `Cookie` header value carrying the session. */
  cookie: string;
}

/** Signs a user up through better-auth and returns their session cookie. */
export async function signUpTestUser(runtime: Runtime, name: string): Promise<TestUser> {
  const email = `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = `password-${name}-0123456789`;
  const { headers, response } = await runtime.auth.api.signUpEmail({
    body: { email, password, name },
    returnHeaders: true,
  });
  return { userId: response.user.id, email, password, cookie: cookieFrom(headers) };
}

/** The `name=value` pairs of Set-Cookie headers, as a Cookie request header. */
export function cookieFrom(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0] ?? '')
    .filter((pair) => pair && !pair.endsWith('='))
    .join('; ');
}

/** A tRPC caller whose context is built from these request headers, like a real request. */
export async function createTestCaller(runtime: Runtime, headers: Record<string, string> = {}, ip = 'unknown') {
  const responseHeaders = new Headers();
  const context = await createContext({ runtime, headers: new Headers(headers), ip, responseHeaders });
  const caller = appRouter.createCaller(context);
  responseHeadersByCaller.set(caller, responseHeaders);
  return caller;
}

const responseHeadersByCaller = new WeakMap<object, Headers>();

/** The headers (Set-Cookie, Retry-After) procedures called through this caller set on the response. */
export function responseHeadersOf(caller: object): Headers {
  const headers = responseHeadersByCaller.get(caller);
  if (!headers) throw new Error('Not a caller from createTestCaller.');
  return headers;
}

export const asUser = (user: TestUser) => ({ cookie: user.cookie });
export const asKey = (secret: string) => ({ authorization: `Bearer ${secret}` });

/** A REST call under `/api` with a bearer key, as a non-TypeScript client makes it. */
export function callRest(runtime: Runtime, request: { method: string; path: string; key: string; body?: unknown }): Promise<Response> {
  const { method, path, key, body } = request;
  return handleRestRequest(
    new Request(`http://localhost/api${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    runtime,
  );
}

/**
 * OAuth tokens for this person in this workspace, issued through the real
 * store (registration, code with PKCE, exchange), bound to `resource`.
 */
export async function issueOAuthTestTokens(runtime: Runtime, grant: { userId: string; workspaceId: string; scopes: ('read' | 'write')[]; resource: string }) {
  const redirectUri = 'https://host.example/callback';
  const now = runtime.clock.now();
  const { clientId } = await registerOAuthClient(runtime.db, { name: 'Test host', redirectUris: [redirectUri], tokenEndpointAuthMethod: 'none' });
  const codeVerifier = randomBytes(32).toString('base64url');
  const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
  const code = await createAuthorizationCode(runtime.db, { clientId, ...grant, redirectUri, codeChallenge }, now);
  return { clientId, ...(await exchangeAuthorizationCode(runtime.db, { code, clientId, redirectUri, codeVerifier, resource: null, now })) };
}

/** A tRPC caller acting as an OAuth access token of this person in this workspace, resolved the way /mcp resolves it. */
export async function createOAuthTestCaller(runtime: Runtime, grant: { userId: string; workspaceId: string; scopes: ('read' | 'write')[] }) {
  const resource = 'http://localhost/mcp';
  const tokens = await issueOAuthTestTokens(runtime, { ...grant, resource });
  const principal = await authenticateOAuthAccessToken(runtime, tokens.accessToken, resource);
  if (!principal) throw new Error('The OAuth test token did not authenticate.');
  return appRouter.createCaller({ runtime, principal, ip: 'unknown', headers: new Headers(), responseHeaders: new Headers() });
}
