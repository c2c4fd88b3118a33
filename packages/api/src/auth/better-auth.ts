import { betterAuth } from 'better-auth';
import type { Logger } from '@opspilot/core/ports';
import { createBetterAuthDatabase, type Database } from '@opspilot/db';
import type { createSignUpGuard } from './sign-up-policy';

export interface CreateAuthOptions {
  db: Database;
  secret: string;
  /** Public origin, e.g. https://ops.example.com; inferred from each request when absent. */
  baseUrl?: string | undefined;
  trustedOrigins?: string[];
  /** Session lifetime; better-auth refreshes a session used after a day. */
  sessionExpiresInSeconds?: number;
  logger?: Logger;
  /** `hooks.before` of the sign-up policy (see sign-up-policy.ts); none means open sign-up. */
  signUpGuard?: ReturnType<typeof createSignUpGuard>;
}

/**
 * Without a configured public URL the console is a local install: accept the
 * loopback host names it is reached by (any port) and take the origin from
 * each request, instead of pinning one port.
 */
const localBaseUrl = {
  allowedHosts: ['localhost', 'localhost:*', '127.0.0.1', '127.0.0.1:*', '[::1]', '[::1]:*'],
  fallback: 'http://localhost:3000',
};

/** Seven days, refreshed daily while in use. */
export const defaultSessionExpiresInSeconds = 60 * 60 * 24 * 7;

/**
 * better-auth owns users, password hashing (scrypt), sessions and their
 * cookies, on our Prisma client and the `user`/`session`/`account`/
 * `verification` tables. Workspaces, roles and API keys are ours (see
 * docs/decisions/0005-auth-and-api-keys.md).
 */
export function createAuth(options: CreateAuthOptions) {
  return betterAuth({
    appName: 'OpsPilot',
    secret: options.secret,
    baseURL: options.baseUrl ?? localBaseUrl,
    basePath: '/api/auth',
    trustedOrigins: options.trustedOrigins ?? [],
    database: createBetterAuthDatabase(options.db),
    emailAndPassword: { enabled: true, minPasswordLength: 12, maxPasswordLength: 256 },
    session: {
      expiresIn: options.sessionExpiresInSeconds ?? defaultSessionExpiresInSeconds,
      updateAge: 60 * 60 * 24,
    },
    telemetry: { enabled: false },
    ...(options.signUpGuard ? { hooks: { before: options.signUpGuard } } : {}),
    ...(options.logger ? { logger: { level: 'warn' as const, log: createLogBridge(options.logger) } } : {}),
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** better-auth's log lines go through our JSON logger. */
function createLogBridge(logger: Logger) {
  return (level: 'debug' | 'info' | 'warn' | 'error', message: string) => logger[level](`better-auth: ${message}`);
}
