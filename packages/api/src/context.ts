import type { Runtime } from './runtime';

export type MemberRole = 'viewer' | 'member' | 'admin' | 'owner';
export type ApiKeyScope = 'read' | 'write' | 'admin';

/** Who is calling: a signed-in console user, or a workspace API key. */
export type Principal =
  | { kind: 'user'; userId: string; email: string; name: string; sessionId: string }
  | { kind: 'apiKey'; apiKeyId: string; workspaceId: string; scopes: ApiKeyScope[] };

export interface Context {
  runtime: Runtime;
  principal: Principal | null;
  /** Client address used for per-IP rate limits. */
  ip: string;
  headers: Headers;
  /** Set-Cookie headers that a procedure (sign-in/out) wants on the response. */
  responseHeaders: Headers;
  /**
   * Set when the whole request was already counted against the rate limits once (a server-rendered
   * page calls many procedures for one page view; it counts as one call, like the fetch it replaces).
   */
  rateLimitCharged?: boolean;
}

/** Resolves the principal of a request from its cookies or its bearer key. */
export interface Authenticator {
  authenticate(headers: Headers): Promise<Principal | null>;
}

export interface CreateContextOptions {
  runtime: Runtime;
  headers: Headers;
  ip?: string;
  responseHeaders?: Headers;
}

export async function createContext(options: CreateContextOptions): Promise<Context> {
  const principal = await options.runtime.authenticator.authenticate(options.headers);
  return {
    runtime: options.runtime,
    principal,
    ip: options.ip ?? 'unknown',
    headers: options.headers,
    responseHeaders: options.responseHeaders ?? new Headers(),
  };
}
