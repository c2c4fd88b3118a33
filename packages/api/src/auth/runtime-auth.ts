import path from 'node:path';
import type { Clock, Logger } from '@opspilot/core/ports';
import { defaultDataDirectory, inMemoryDataDir, type Database } from '@opspilot/db';
import type { Authenticator } from '../context';
import {
  createDatabaseRateLimiter,
  createMemoryRateLimiter,
  loadRequestLimits,
  type RateLimiter,
  type RequestLimits,
} from '../rate-limit';
import { createAuth, type Auth } from './better-auth';
import { createAuthenticator } from './authenticator';
import { ensureDemoCredentials, type DemoCredentials } from './demo-credentials';
import { resolveAuthSecret, type Environment } from './secret';
import { createSignUpGuard, resolveSignUpPolicy, type SignUpPolicy } from './sign-up-policy';

export interface AuthServices {
  auth: Auth;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  limits: RequestLimits;
  /** OPSPILOT_SIGNUP as resolved at boot. */
  signUpPolicy: SignUpPolicy;
  /** Set only on the boot that created them (first boot with a demo workspace). */
  demoCredentials: DemoCredentials | null;
}

export interface CreateAuthServicesOptions {
  db: Database;
  env: Environment;
  clock: Clock;
  logger: Logger;
  limits?: Partial<RequestLimits>;
  /** Print first-boot demo credentials to stdout (default true). */
  printDemoCredentials?: boolean;
}

/** Where the auth secret and demo credentials live; null for an in-memory database. */
function resolveDataDir(db: Database, env: Environment): string | null {
  if (db.config.mode === 'embedded') return db.config.dataDir === inMemoryDataDir ? null : db.config.dataDir;
  const configured = env.OPSPILOT_DATA_DIR?.trim();
  return configured && configured !== inMemoryDataDir ? path.resolve(configured) : defaultDataDirectory;
}

/** The public origin people reach the console at, for links and printed credentials. */
export function resolvePublicBaseUrl(env: Environment): string {
  const configured = env.BETTER_AUTH_URL ?? env.FRONTEND_BASE_URL;
  return (configured ?? `http://localhost:${env.PORT ?? '3000'}`).replace(/\/$/, '');
}

/** Sign-in, sessions, API-key auth, rate limits and first-boot demo credentials. */
export async function createAuthServices(options: CreateAuthServicesOptions): Promise<AuthServices> {
  const { db, env, clock, logger } = options;
  const dataDir = resolveDataDir(db, env);
  if (db.mode === 'postgres' && !env.BETTER_AUTH_SECRET) {
    logger.warn('BETTER_AUTH_SECRET is not set: using a secret file under the data directory, which other hosts cannot see.');
  }
  const secret = resolveAuthSecret({ env, dataDir });
  const configuredBaseUrl = env.BETTER_AUTH_URL ?? env.FRONTEND_BASE_URL;
  const trustedOrigins = (env.OPSPILOT_TRUSTED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  const signUpPolicy = resolveSignUpPolicy(env);
  const signUpGuard = createSignUpGuard({ db, clock, policy: signUpPolicy });
  const auth = createAuth({ db, secret, baseUrl: configuredBaseUrl, trustedOrigins, logger, signUpGuard });
  const limits = loadRequestLimits(env, options.limits);
  const rateLimiter = db.mode === 'postgres' ? createDatabaseRateLimiter(db, clock) : createMemoryRateLimiter(clock);
  const demoCredentials = await ensureDemoCredentials({
    db,
    auth,
    clock,
    logger,
    dataDir,
    baseUrl: resolvePublicBaseUrl(env),
    print: options.printDemoCredentials ?? true,
  });
  return { auth, authenticator: createAuthenticator({ auth, db, clock }), rateLimiter, limits, signUpPolicy, demoCredentials };
}
