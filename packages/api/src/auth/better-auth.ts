import { betterAuth } from 'better-auth';
import { createBetterAuthDatabase, type Database } from '@opspilot/db';

export interface CreateAuthOptions {
  db: Database;
  secret: string;
  /** Public origin, e.g. https://ops.example.com; inferred from each request when absent. */
  baseUrl?: string | undefined;
  trustedOrigins?: string[];
  /** Session lifetime; better-auth refreshes a session used after a day. */
  sessionExpiresInSeconds?: number;
}

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
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    basePath: '/api/auth',
    trustedOrigins: options.trustedOrigins ?? [],
    database: createBetterAuthDatabase(options.db),
    emailAndPassword: { enabled: true, minPasswordLength: 12, maxPasswordLength: 256 },
    session: {
      expiresIn: options.sessionExpiresInSeconds ?? defaultSessionExpiresInSeconds,
      updateAge: 60 * 60 * 24,
    },
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;
