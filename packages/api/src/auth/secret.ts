import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const secretFileName = 'auth-secret';

/**
 * The key better-auth signs session cookies with: BETTER_AUTH_SECRET when set,
 * else a random one generated on first boot and kept in the data directory so
 * sessions survive restarts. Never a constant in the code.
 */
/** Environment variables as read here; not NodeJS.ProcessEnv, whose typings may demand NODE_ENV. */
export type Environment = Readonly<Record<string, string | undefined>>;

export function resolveAuthSecret(options: { env: Environment; dataDir: string | null }): string {
  const configured = options.env.BETTER_AUTH_SECRET?.trim();
  if (configured) {
    if (configured.length < 32) throw new Error('BETTER_AUTH_SECRET must be at least 32 characters long.');
    return configured;
  }
  // An in-memory database (tests) lives for one process; so may its secret.
  if (!options.dataDir) return randomBytes(32).toString('base64url');
  const file = path.join(options.dataDir, secretFileName);
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) return stored;
  }
  mkdirSync(options.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'w' });
  chmodSync(file, 0o600);
  return secret;
}
