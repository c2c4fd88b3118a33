import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime';
import { hashSecret } from './tokens';
import { asKey, asUser, createTestCaller, createTestRuntime, signUpTestUser, type TestUser } from './testing';

type Role = 'owner' | 'admin' | 'member' | 'viewer';

describe('role boundaries and the API-key lifecycle', () => {
  let runtime: Runtime;
  let workspaceId: string;
  const users = {} as Record<Role, TestUser>;
  const memberIds = {} as Record<Role, string>;

  beforeAll(async () => {
    runtime = await createTestRuntime();
    for (const role of ['owner', 'admin', 'member', 'viewer'] as const) users[role] = await signUpTestUser(runtime, role);
    const owner = await createTestCaller(runtime, asUser(users.owner));
    workspaceId = (await owner.workspace.create({ name: 'Roles Inc' })).id;
    for (const role of ['admin', 'member', 'viewer'] as const) {
      const { token } = await owner.invitation.create({ workspaceId, email: users[role].email, role });
      const invitee = await createTestCaller(runtime, asUser(users[role]));
      await expect(invitee.invitation.accept({ token })).resolves.toEqual({ workspaceId, role });
    }
    for (const member of await owner.member.list({ workspaceId })) memberIds[member.role] = member.id;
  });
  afterAll(async () => {
    await runtime.close();
  });

  const callerFor = (role: Role) => createTestCaller(runtime, asUser(users[role]));

  it('lets every role read, and refuses writes below the required role with 403', async () => {
    for (const role of ['viewer', 'member', 'admin', 'owner'] as const) {
      const caller = await callerFor(role);
      await expect(caller.workspace.overview({ workspaceId })).resolves.toBeDefined();
      await expect(caller.member.list({ workspaceId })).resolves.toHaveLength(4);
    }
    for (const role of ['viewer', 'member'] as const) {
      const caller = await callerFor(role);
      await expect(caller.apiKey.create({ workspaceId, name: 'x', scopes: ['read'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(caller.apiKey.list({ workspaceId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    for (const role of ['viewer', 'member', 'admin'] as const) {
      const caller = await callerFor(role);
      await expect(caller.invitation.create({ workspaceId, email: 'new@example.com', role: 'viewer' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(caller.member.changeRole({ workspaceId, memberId: memberIds.viewer, role: 'admin' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(caller.member.remove({ workspaceId, memberId: memberIds.viewer })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(caller.workspace.delete({ workspaceId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    const admin = await callerFor('admin');
    await expect(admin.apiKey.list({ workspaceId })).resolves.toEqual([]);
    const roles = (await admin.member.list({ workspaceId })).map((member) => member.role).sort();
    expect(roles).toEqual(['admin', 'member', 'owner', 'viewer']);
  });

  it('lets the owner change roles and remove members, but never the last owner', async () => {
    const owner = await callerFor('owner');
    await expect(owner.member.changeRole({ workspaceId, memberId: memberIds.owner, role: 'admin' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(owner.member.remove({ workspaceId, memberId: memberIds.owner })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(owner.member.changeRole({ workspaceId, memberId: memberIds.viewer, role: 'member' })).resolves.toMatchObject({ role: 'member' });
    await expect(owner.member.changeRole({ workspaceId, memberId: memberIds.viewer, role: 'viewer' })).resolves.toMatchObject({ role: 'viewer' });
    const audit = await runtime.db.prisma.auditLog.count({ where: { workspaceId, action: 'member.change-role' } });
    expect(audit).toBe(2);
  });

  it('runs invitations through create, list, revoke, expiry and single use', async () => {
    const owner = await callerFor('owner');
    const outsider = await signUpTestUser(runtime, 'Outsider');
    const outsiderCaller = await createTestCaller(runtime, asUser(outsider));
    const revoked = await owner.invitation.create({ workspaceId, email: outsider.email, role: 'viewer' });
    expect(await runtime.db.prisma.invitation.count({ where: { tokenHash: revoked.token } })).toBe(0);
    await owner.invitation.revoke({ workspaceId, invitationId: revoked.invitation.id });
    await expect(outsiderCaller.invitation.accept({ token: revoked.token })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const expired = await owner.invitation.create({ workspaceId, email: outsider.email, role: 'viewer', expiresInDays: 1 });
    await runtime.db.prisma.invitation.update({ where: { id: expired.invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(outsiderCaller.invitation.accept({ token: expired.token })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const statuses = (await owner.invitation.list({ workspaceId })).map((invitation) => invitation.status);
    expect(statuses).toEqual(expect.arrayContaining(['revoked', 'expired', 'accepted']));

    const forSomeoneElse = await owner.invitation.create({ workspaceId, email: 'someone-else@example.com', role: 'admin' });
    await expect(outsiderCaller.invitation.accept({ token: forSomeoneElse.token })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(outsiderCaller.workspace.overview({ workspaceId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('creates a key shown once, stores only its hash, uses it within its scopes, and refuses it after revoke', async () => {
    const admin = await callerFor('admin');
    const { apiKey, secret } = await admin.apiKey.create({ workspaceId, name: 'reporting', scopes: ['read'] });
    expect(secret).toMatch(/^opk_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    const stored = await runtime.db.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(stored.hash).toBe(hashSecret(secret));
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(JSON.stringify(await admin.apiKey.list({ workspaceId }))).not.toContain(secret.slice(12));

    const viaKey = await createTestCaller(runtime, asKey(secret));
    await expect(viaKey.member.list({ workspaceId })).resolves.toHaveLength(4);
    await expect(viaKey.apiKey.create({ workspaceId, name: 'escalate', scopes: ['admin'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(viaKey.workspace.create({ name: 'from a key' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const firstUse = (await runtime.db.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt;
    expect(firstUse).not.toBeNull();
    await createTestCaller(runtime, asKey(secret));
    const secondUse = (await runtime.db.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt;
    expect(secondUse).toEqual(firstUse);

    await admin.apiKey.revoke({ workspaceId, apiKeyId: apiKey.id });
    const afterRevoke = await createTestCaller(runtime, asKey(secret));
    await expect(afterRevoke.member.list({ workspaceId })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await admin.apiKey.list({ workspaceId }))[0]?.revokedAt).not.toBeNull();
  });

  it('refuses a key after it expires and lets an admin-scoped key act as admin, never owner', async () => {
    const owner = await callerFor('owner');
    const { apiKey, secret } = await owner.apiKey.create({ workspaceId, name: 'ops', scopes: ['admin'], expiresInDays: 1 });
    const viaKey = await createTestCaller(runtime, asKey(secret));
    await expect(viaKey.apiKey.list({ workspaceId })).resolves.not.toHaveLength(0);
    await expect(viaKey.member.remove({ workspaceId, memberId: memberIds.viewer })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await runtime.db.prisma.apiKey.update({ where: { id: apiKey.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await createTestCaller(runtime, asKey(secret));
    await expect(expired.apiKey.list({ workspaceId })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('lets only the owner delete the workspace, and everything in it goes', async () => {
    const owner = await callerFor('owner');
    const doomed = await owner.workspace.create({ name: 'Doomed' });
    await owner.apiKey.create({ workspaceId: doomed.id, name: 'k', scopes: ['read'] });
    await expect(owner.workspace.delete({ workspaceId: doomed.id })).resolves.toEqual({ deleted: true, workspaceId: doomed.id });
    expect(await runtime.db.prisma.apiKey.count({ where: { workspaceId: doomed.id } })).toBe(0);
    await expect(owner.workspace.overview({ workspaceId: doomed.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
