import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, createTestCaller, createTestRuntime, responseHeadersOf, signUpTestUser, type TestUser } from '../auth/testing';
import { handleRestRequest } from '../rest/handler';
import type { Runtime } from '../runtime';
import { maskEmail, previewsPerMinutePerAddress } from './invitation-preview';

const day = 24 * 60 * 60 * 1000;
let nowMs = Date.parse('2026-11-20T12:00:00Z');

let runtime: Runtime;
let owner: TestUser;
let workspaceId: string;

const previewFields = ['email', 'expiresAt', 'inviterName', 'role', 'state', 'workspaceName'];
const ownerCaller = () => createTestCaller(runtime, asUser(owner));
/** Nobody signed in, as the invite page asks before sign-in. */
const preview = async (token: string, ip = 'unknown') => (await createTestCaller(runtime, {}, ip)).invitation.preview({ token });
const invite = async (email: string, role: 'admin' | 'member' | 'viewer' = 'member') => (await ownerCaller()).invitation.create({ workspaceId, email, role, expiresInDays: 7 });
const codeOf = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));

beforeAll(async () => {
  runtime = await createTestRuntime({ clock: { now: () => new Date(nowMs) } });
  owner = await signUpTestUser(runtime, 'Olivia');
  workspaceId = (await (await ownerCaller()).workspace.create({ name: 'Acme Operations' })).id;
}, 120_000);

afterAll(async () => {
  await runtime?.close();
});

describe('invitation.preview', () => {
  it('tells a signed-out invitee the workspace, inviter, role, masked address and expiry, and nothing else', async () => {
    const { token, invitation } = await invite('alice.smith@example.com', 'admin');
    const shown = await preview(token);
    expect(shown).toEqual({
      state: 'pending',
      workspaceName: 'Acme Operations',
      inviterName: 'Olivia',
      role: 'admin',
      email: 'a•••@example.com',
      expiresAt: invitation.expiresAt,
    });
    expect(Object.keys(shown).sort()).toEqual(previewFields);
    const serialized = JSON.stringify(shown);
    for (const secret of [workspaceId, invitation.id, owner.userId, owner.email, 'alice.smith']) expect(serialized).not.toContain(secret);
    expect(await runtime.db.prisma.invitation.count({ where: { id: invitation.id, status: 'pending' } })).toBe(1);
  });

  it('says a revoked invitation is revoked, with no details, in the same shape as an unknown token', async () => {
    const { token, invitation } = await invite('revoked@example.com');
    await (await ownerCaller()).invitation.revoke({ workspaceId, invitationId: invitation.id });
    const revoked = await preview(token);
    expect(revoked).toEqual({ state: 'revoked', workspaceName: null, inviterName: null, role: null, email: null, expiresAt: null });

    const unknownWellFormed = await preview(`opi_${'A'.repeat(43)}`);
    const unknownMalformed = await preview('not-a-token');
    for (const unknown of [unknownWellFormed, unknownMalformed]) {
      expect(unknown).toEqual({ ...revoked, state: 'unknown' });
      expect(Object.keys(unknown).sort()).toEqual(Object.keys(revoked).sort());
    }
  });

  it('says an accepted invitation was accepted, and an expired one expired (keeping who to ask for a new one)', async () => {
    const invitee = await signUpTestUser(runtime, 'Invitee');
    const accepted = await invite(invitee.email, 'viewer');
    await (await createTestCaller(runtime, asUser(invitee))).invitation.accept({ token: accepted.token });
    await expect(preview(accepted.token)).resolves.toMatchObject({ state: 'accepted', workspaceName: 'Acme Operations', role: 'viewer' });

    const expiring = await invite('late@example.com');
    nowMs += 8 * day;
    try {
      await expect(preview(expiring.token)).resolves.toMatchObject({ state: 'expired', workspaceName: 'Acme Operations', inviterName: 'Olivia', email: 'l•••@example.com' });
    } finally {
      nowMs -= 8 * day;
    }
  });

  it('answers over REST without credentials, with exactly the preview fields and no caching', async () => {
    const { token } = await invite('rest@example.com');
    const response = await handleRestRequest(new Request(`http://localhost/api/v1/invitations/preview?token=${encodeURIComponent(token)}`), runtime);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(previewFields);
    expect(body).toMatchObject({ state: 'pending', workspaceName: 'Acme Operations', email: 'r•••@example.com' });
  });

  it(`is limited to ${previewsPerMinutePerAddress} previews a minute per client address, with Retry-After`, async () => {
    const address = '203.0.113.41';
    for (let call = 0; call < previewsPerMinutePerAddress; call += 1) await preview('opi_guess', address);
    const limited = await createTestCaller(runtime, {}, address);
    await expect(limited.invitation.preview({ token: 'opi_guess' })).rejects.toSatisfy((error) => codeOf(error) === 'TOO_MANY_REQUESTS');
    expect(Number(responseHeadersOf(limited).get('retry-after'))).toBeGreaterThan(0);
    await expect(preview('opi_guess', '203.0.113.42')).resolves.toMatchObject({ state: 'unknown' });
  });
});

describe('maskEmail', () => {
  it('keeps the first character and the domain', () => {
    expect(maskEmail('alice@example.com')).toBe('a•••@example.com');
    expect(maskEmail('b@sub.example.org')).toBe('b•••@sub.example.org');
    expect(maskEmail('no-at-sign')).toBe('•••');
  });
});
