import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleAuthRequest } from '../rest/handler';
import type { Runtime } from '../runtime';
import { resolveSignUpPolicy } from './sign-up-policy';
import { asUser, createTestCaller, createTestRuntime, signUpTestUser } from './testing';

const start = Date.parse('2026-11-20T12:00:00Z');
let nowMs = start;
const dayMs = 24 * 60 * 60 * 1000;

/** better-auth's /api/auth/* on a plain Node server on loopback, as the web app mounts it. */
async function serveAuth(runtime: Runtime): Promise<{ origin: string; server: Server }> {
  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === 'string') headers.set(name, value);
      const request = new Request(`http://${incoming.headers.host}${incoming.url}`, { method: incoming.method, headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) });
      const response = await handleAuthRequest(request, runtime);
      outgoing.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function bootRuntime(signUp: string): Promise<Runtime> {
  return createTestRuntime({ env: { OPSPILOT_SIGNUP: signUp }, clock: { now: () => new Date(nowMs) } });
}

function postSignUp(origin: string, email: string) {
  return fetch(`${origin}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email, password: 'a-long-enough-password-42', name: 'Newcomer' }),
  });
}

/** Everything a sign-up would write: the user, its credential account and its session. */
async function storedRows(runtime: Runtime, email: string) {
  const users = await runtime.db.prisma.user.findMany({ where: { email }, select: { id: true } });
  const ids = users.map((user) => user.id);
  return {
    users: users.length,
    accounts: await runtime.db.prisma.account.count({ where: { userId: { in: ids } } }),
    sessions: await runtime.db.prisma.session.count({ where: { userId: { in: ids } } }),
    allUsers: await runtime.db.prisma.user.count(),
    allSessions: await runtime.db.prisma.session.count(),
  };
}

describe('OPSPILOT_SIGNUP is read with a safe default', () => {
  it('defaults to invite-only in production and open elsewhere, and refuses values it does not know', () => {
    expect(resolveSignUpPolicy({ NODE_ENV: 'production' })).toBe('invite-only');
    expect(resolveSignUpPolicy({ NODE_ENV: 'production', OPSPILOT_SIGNUP: 'open' })).toBe('open');
    expect(resolveSignUpPolicy({ NODE_ENV: 'development' })).toBe('open');
    expect(resolveSignUpPolicy({ NODE_ENV: 'test', OPSPILOT_SIGNUP: ' Invite-Only ' })).toBe('invite-only');
    expect(() => resolveSignUpPolicy({ OPSPILOT_SIGNUP: 'closed' })).toThrow(/OPSPILOT_SIGNUP must be "open" or "invite-only"/);
  });
});

describe('sign-up over HTTP with OPSPILOT_SIGNUP=open', () => {
  let runtime: Runtime;
  let served: { origin: string; server: Server };
  beforeAll(async () => {
    runtime = await bootRuntime('open');
    served = await serveAuth(runtime);
  }, 120_000);
  afterAll(async () => {
    served?.server.close();
    await runtime?.close();
  });

  it('lets anyone create an account', async () => {
    const response = await postSignUp(served.origin, 'stranger@example.com');
    expect(response.status).toBe(200);
    expect(await storedRows(runtime, 'stranger@example.com')).toMatchObject({ users: 1, accounts: 1 });
  });
});

describe('sign-up over HTTP with OPSPILOT_SIGNUP=invite-only', () => {
  let runtime: Runtime;
  let served: { origin: string; server: Server };
  let workspaceId: string;
  let invite: (email: string, expiresInDays?: number) => Promise<string>;

  beforeAll(async () => {
    runtime = await bootRuntime('invite-only');
    served = await serveAuth(runtime);
    // The server's own calls (demo owner on first boot, this test's owner) are not requests and pass the policy.
    const owner = await createTestCaller(runtime, asUser(await signUpTestUser(runtime, 'Owner')));
    workspaceId = (await owner.workspace.create({ name: 'Invites' })).id;
    invite = async (email, expiresInDays = 7) => (await owner.invitation.create({ workspaceId, email, role: 'member', expiresInDays })).invitation.id;
  }, 120_000);
  afterAll(async () => {
    served?.server.close();
    await runtime?.close();
  });

  it('refuses an email without an invitation with 403 and a clear message, and stores nothing', async () => {
    const before = await storedRows(runtime, 'uninvited@example.com');
    const response = await postSignUp(served.origin, 'uninvited@example.com');
    expect(response.status).toBe(403);
    const body = (await response.json()) as { message: string; code: string };
    expect(body.message).toMatch(/by invitation only/);
    expect(body.code).toBe('SIGN_UP_INVITE_ONLY');
    expect(await storedRows(runtime, 'uninvited@example.com')).toEqual({ ...before, users: 0, accounts: 0, sessions: 0 });
  });

  it('lets an invited email sign up (any letter case), and only that email', async () => {
    await invite('invited@example.com');
    expect((await postSignUp(served.origin, 'someone-else@example.com')).status).toBe(403);
    const response = await postSignUp(served.origin, 'Invited@Example.com');
    expect(response.status).toBe(200);
    expect(await storedRows(runtime, 'invited@example.com')).toMatchObject({ users: 1, accounts: 1, sessions: 1 });
  });

  it('refuses an expired or revoked invitation', async () => {
    await invite('late@example.com', 1);
    nowMs += 2 * dayMs;
    const owner = await createTestCaller(runtime, asUser(await signUpTestUser(runtime, 'Owner2')));
    await runtime.db.prisma.membership.create({ data: { workspaceId, userId: (await runtime.db.prisma.user.findFirstOrThrow({ where: { name: 'Owner2' } })).id, role: 'owner' } });
    const revokedId = (await owner.invitation.create({ workspaceId, email: 'revoked@example.com', role: 'viewer', expiresInDays: 7 })).invitation.id;
    await owner.invitation.revoke({ workspaceId, invitationId: revokedId });
    for (const email of ['late@example.com', 'revoked@example.com']) {
      const response = await postSignUp(served.origin, email);
      expect(response.status).toBe(403);
      expect((await storedRows(runtime, email)).users).toBe(0);
    }
  });
});
