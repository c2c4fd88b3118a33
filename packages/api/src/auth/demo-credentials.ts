import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock, Logger } from '@opspilot/core/ports';
import { addMembership, countOwners, findDemoWorkspace, findUserByEmail, insertApiKey, type Database } from '@opspilot/db';
import type { Auth } from './better-auth';
import { generateApiKey } from './tokens';

export const demoOwnerEmail = 'demo@opspilot.example';
export const demoCredentialsFileName = 'demo-credentials.json';

export interface DemoCredentials {
  email: string;
  password: string;
  apiKey: string;
  workspaceId: string;
  baseUrl: string;
}

export interface EnsureDemoCredentialsOptions {
  db: Database;
  auth: Auth;
  clock: Clock;
  logger: Logger;
  /** Where `demo-credentials.json` goes; null (in-memory database) writes no file. */
  dataDir: string | null;
  baseUrl: string;
  /** Print the credentials block to stdout (default true). */
  print?: boolean;
}

/**
 * First boot only: gives the demo workspace an owner account with a random
 * password and an API key, prints them once and writes them to
 * `<data dir>/demo-credentials.json` (git-ignored). Returns null when the demo
 * workspace is missing or already has an owner.
 */
export async function ensureDemoCredentials(options: EnsureDemoCredentialsOptions): Promise<DemoCredentials | null> {
  const { db, auth } = options;
  const workspace = await findDemoWorkspace(db);
  if (!workspace || (await countOwners(db, workspace.id)) > 0) return null;
  const password = randomBytes(18).toString('base64url');
  const userId = await createOrResetDemoUser(auth, db, password);
  await addMembership(db, { workspaceId: workspace.id, userId, role: 'owner' });
  const key = generateApiKey();
  await insertApiKey(db, {
    workspaceId: workspace.id,
    name: 'Demo key',
    prefix: key.prefix,
    hash: key.hash,
    scopes: ['read', 'write', 'admin'],
    createdById: userId,
    expiresAt: null,
  });
  const credentials: DemoCredentials = {
    email: demoOwnerEmail,
    password,
    apiKey: key.secret,
    workspaceId: workspace.id,
    baseUrl: options.baseUrl,
  };
  const file = options.dataDir ? path.join(options.dataDir, demoCredentialsFileName) : null;
  if (file) writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  if (options.print ?? true) printCredentials(credentials, file);
  options.logger.info('Created the demo owner and API key', { workspaceId: workspace.id, file });
  return credentials;
}

async function createOrResetDemoUser(auth: Auth, db: Database, password: string): Promise<string> {
  const existing = await findUserByEmail(db, demoOwnerEmail);
  if (!existing) {
    const created = await auth.api.signUpEmail({ body: { email: demoOwnerEmail, password, name: 'Demo Owner' } });
    return created.user.id;
  }
  // A user left by an interrupted first boot: give it the new password through better-auth's own hashing.
  const context = await auth.$context;
  await context.internalAdapter.updatePassword(existing.id, await context.password.hash(password));
  return existing.id;
}

function printCredentials(credentials: DemoCredentials, file: string | null): void {
  const lines = [
    '',
    '  OpsPilot demo credentials (shown once)',
    `  console:   ${credentials.baseUrl}/sign-in`,
    `  email:     ${credentials.email}`,
    `  password:  ${credentials.password}`,
    `  API key:   ${credentials.apiKey}`,
    `  workspace: ${credentials.workspaceId}`,
    ...(file ? [`  saved to:  ${file}`] : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
