import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger, systemClock } from '@opspilot/core/ports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime';
import { ensureDemoCredentials } from './demo-credentials';
import { resolveAuthSecret } from './secret';
import { asKey, asUser, cookieFrom, createTestCaller, createTestRuntime, responseHeadersOf, signUpTestUser, type TestUser } from './testing';

const unauthorizedMessage = 'Sign in or send a valid API key.';

describe('sign-in, sessions and 401s', () => {
  let runtime: Runtime;
  let alice: TestUser;

  beforeAll(async () => {
    runtime = await createTestRuntime();
    alice = await signUpTestUser(runtime, 'Alice');
  });
  afterAll(async () => {
    await runtime.close();
  });

  it('signs in with email and password, the cookie authenticates, and sign-out ends the session', async () => {
    const anonymous = await createTestCaller(runtime);
    const result = await anonymous.auth.signIn({ email: alice.email.toUpperCase(), password: alice.password });
    expect(result.user.email).toBe(alice.email);
    const cookie = cookieFrom(responseHeadersOf(anonymous));
    expect(cookie).toContain('session_token=');

    const signedIn = await createTestCaller(runtime, { cookie });
    await expect(signedIn.auth.me()).resolves.toMatchObject({ kind: 'user', userId: alice.userId });

    await signedIn.auth.signOut();
    expect(responseHeadersOf(signedIn).getSetCookie().join(';')).toMatch(/session_token=;|Max-Age=0/);
    const afterSignOut = await createTestCaller(runtime, { cookie });
    await expect(afterSignOut.auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: unauthorizedMessage });
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const caller = await createTestCaller(runtime);
    await expect(caller.auth.signIn({ email: alice.email, password: 'not-the-password-at-all' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'Invalid email or password.',
    });
    await expect(caller.auth.signIn({ email: 'nobody@example.com', password: alice.password })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'Invalid email or password.',
    });
    expect(responseHeadersOf(caller).getSetCookie()).toEqual([]);
  });

  it('refuses an expired session, a revoked key, a malformed key and a forged cookie with one message', async () => {
    const bob = await signUpTestUser(runtime, 'Bob');
    const owner = await createTestCaller(runtime, asUser(bob));
    const workspace = await owner.workspace.create({ name: 'Bob Co' });
    const { secret, apiKey } = await owner.apiKey.create({ workspaceId: workspace.id, name: 'ci', scopes: ['read'] });
    await owner.apiKey.revoke({ workspaceId: workspace.id, apiKeyId: apiKey.id });
    await runtime.db.prisma.session.updateMany({ where: { userId: bob.userId }, data: { expiresAt: new Date(Date.now() - 1000) } });

    const attempts: Record<string, string>[] = [
      asUser(bob),
      asKey(secret),
      asKey('opk_short'),
      asKey(`${secret.slice(0, -1)}x`),
      { authorization: 'Basic YWxpY2U6cGFzc3dvcmQ=' },
      { cookie: 'better-auth.session_token=forged.signature' },
    ];
    for (const headers of attempts) {
      const caller = await createTestCaller(runtime, headers);
      await expect(caller.auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: unauthorizedMessage });
    }
  });

  it('does not let a valid cookie rescue an invalid bearer key', async () => {
    const caller = await createTestCaller(runtime, { ...asUser(alice), ...asKey('opk_bad') });
    await expect(caller.auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('boot-time demo credentials and the auth secret', () => {
  let runtime: Runtime;
  let dataDir: string;

  beforeAll(async () => {
    runtime = await createTestRuntime();
    dataDir = mkdtempSync(path.join(tmpdir(), 'opspilot-auth-'));
  });
  afterAll(async () => {
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives the demo workspace an owner and a key once, writes them to the data dir, and both work', async () => {
    const demo = await runtime.db.prisma.workspace.create({ data: { name: 'Demo', slug: 'demo-auth-test', isDemo: true } });
    const options = { db: runtime.db, auth: runtime.auth, clock: systemClock, logger: silentLogger, dataDir, baseUrl: 'http://localhost:3000', print: false };
    const credentials = await ensureDemoCredentials(options);
    expect(credentials).not.toBeNull();
    const file = path.join(dataDir, 'demo-credentials.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(credentials);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(credentials?.workspaceId).toBe(demo.id);
    expect(credentials?.password.length).toBeGreaterThanOrEqual(20);

    const anonymous = await createTestCaller(runtime);
    await anonymous.auth.signIn({ email: credentials?.email ?? '', password: credentials?.password ?? '' });
    const owner = await createTestCaller(runtime, { cookie: cookieFrom(responseHeadersOf(anonymous)) });
    await expect(owner.workspace.list()).resolves.toEqual([expect.objectContaining({ id: demo.id, role: 'owner' })]);
    const viaKey = await createTestCaller(runtime, asKey(credentials?.apiKey ?? ''));
    expect((await viaKey.member.list({ workspaceId: demo.id })).items).toHaveLength(1);

    await expect(ensureDemoCredentials(options)).resolves.toBeNull();
    expect(await runtime.db.prisma.apiKey.count({ where: { workspaceId: demo.id } })).toBe(1);
  });

  it('takes BETTER_AUTH_SECRET from the environment, else generates one file once and reuses it', () => {
    const configured = 'c'.repeat(40);
    expect(resolveAuthSecret({ env: { BETTER_AUTH_SECRET: configured }, dataDir })).toBe(configured);
    expect(() => resolveAuthSecret({ env: { BETTER_AUTH_SECRET: 'short' }, dataDir })).toThrow(/at least 32/);
    const first = resolveAuthSecret({ env: {}, dataDir });
    const second = resolveAuthSecret({ env: {}, dataDir });
    expect(first).toBe(second);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(path.join(dataDir, 'auth-secret')).mode & 0o077).toBe(0);
  });
});
