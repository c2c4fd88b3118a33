import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '@opspilot/core/ports';
import type { Runtime } from '../runtime';
import { hashSecret } from './tokens';
import { asKey, asUser, createTestCaller, createTestRuntime, signUpTestUser, type TestUser } from './testing';

type Role = 'owner' | 'admin' | 'member' | 'viewer';

describe('role boundaries and the API-key lifecycle', () => {
  let runtime: Runtime;
  let workspaceId: string;
  const users = {} as Record<Role, TestUser>;
  const memberIds = {} as Record<Role, string>;

  const logged: Array<{ message: string; data: Record<string, unknown> | undefined }> = [];
  const recordInfo: Logger = { ...silentLogger, info: (message, data) => logged.push({ message, data }) };

  beforeAll(async () => {
    runtime = await createTestRuntime({ logger: recordInfo });
    for (const role of ['owner', 'admin', 'member', 'viewer'] as const) users[role] = await signUpTestUser(runtime, role);
    const owner = await createTestCaller(runtime, asUser(users.owner));
    workspaceId = (await owner.workspace.create({ name: 'Roles Inc' })).id;
    for (const role of ['admin', 'member', 'viewer'] as const) {
      const { token } = await owner.invitation.create({ workspaceId, email: users[role].email, role });
      const invitee = await createTestCaller(runtime, asUser(users[role]));
      await expect(invitee.invitation.accept({ token })).resolves.toEqual({ workspaceId, role });
    }
    for (const member of (await owner.member.list({ workspaceId })).items) memberIds[member.role] = member.id;
  });
  afterAll(async () => {
    await runtime.close();
  });

  const callerFor = (role: Role) => createTestCaller(runtime, asUser(users[role]));

  it('lets every role read, and refuses writes below the required role with 403', async () => {
    for (const role of ['viewer', 'member', 'admin', 'owner'] as const) {
      const caller = await callerFor(role);
      await expect(caller.workspace.overview({ workspaceId })).resolves.toBeDefined();
      expect((await caller.member.list({ workspaceId })).items).toHaveLength(4);
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
    await expect(admin.apiKey.list({ workspaceId })).resolves.toEqual({ items: [], nextCursor: null });
    const roles = (await admin.member.list({ workspaceId })).items.map((member) => member.role).sort();
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
    const statuses = (await owner.invitation.list({ workspaceId })).items.map((invitation) => invitation.status);
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
    expect((await viaKey.member.list({ workspaceId })).items).toHaveLength(4);
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
    expect((await admin.apiKey.list({ workspaceId })).items[0]?.revokedAt).not.toBeNull();
  });

  it('refuses a key after it expires and lets an admin-scoped key act as admin, never owner', async () => {
    const owner = await callerFor('owner');
    const { apiKey, secret } = await owner.apiKey.create({ workspaceId, name: 'ops', scopes: ['admin'], expiresInDays: 1 });
    const viaKey = await createTestCaller(runtime, asKey(secret));
    expect((await viaKey.apiKey.list({ workspaceId })).items).not.toHaveLength(0);
    await expect(viaKey.member.remove({ workspaceId, memberId: memberIds.viewer })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await runtime.db.prisma.apiKey.update({ where: { id: apiKey.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await createTestCaller(runtime, asKey(secret));
    await expect(expired.apiKey.list({ workspaceId })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('lets only the owner delete the workspace: a non-owner is refused and nothing goes; then every row goes, logged, and its chat streams end', async () => {
    const owner = await callerFor('owner');
    const doomed = await owner.workspace.create({ name: 'Doomed' });
    await owner.apiKey.create({ workspaceId: doomed.id, name: 'k', scopes: ['read'] });
    const { token } = await owner.invitation.create({ workspaceId: doomed.id, email: users.admin.email, role: 'admin' });
    const admin = await callerFor('admin');
    await admin.invitation.accept({ token });
    const session = await owner.chat.createSession({ workspaceId: doomed.id, title: 'open stream' });
    const stream = await owner.chat.onEvents({ workspaceId: doomed.id, sessionId: session.id, untilDone: true });
    const received = (async () => {
      const types: string[] = [];
      // tracked() values reach a server-side caller as [id, data, marker] tuples.
      for await (const envelope of stream as AsyncIterable<unknown>) {
        const event = (Array.isArray(envelope) ? envelope[1] : envelope) as { type: string; code?: string; message?: string };
        types.push(`${event.type}:${event.code ?? ''}:${event.message ?? ''}`);
      }
      return types;
    })();
    const before = await countWorkspaceRows(runtime, doomed.id);
    expect(before.Membership).toBe(2);
    expect(before.ChatSession).toBe(1);

    await expect(admin.workspace.delete({ workspaceId: doomed.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await countWorkspaceRows(runtime, doomed.id)).toEqual(before);
    expect(logged.filter((entry) => entry.message === 'workspace deleted')).toEqual([]);

    const total = Object.values(before).reduce((sum, count) => sum + count, 0);
    await expect(owner.workspace.delete({ workspaceId: doomed.id })).resolves.toEqual({ deleted: true, workspaceId: doomed.id, rowsDeleted: total });
    const after = await countWorkspaceRows(runtime, doomed.id);
    expect(Object.entries(after).filter(([, count]) => count > 0)).toEqual([]);
    expect(logged.filter((entry) => entry.message === 'workspace deleted')).toEqual([
      { message: 'workspace deleted', data: expect.objectContaining({ workspaceId: doomed.id, actorId: users.owner.userId, rowsDeleted: total, deleted: expect.objectContaining({ ApiKey: 1, Membership: 2, ChatSession: 1, Workspace: 1 }) as object }) as object },
    ]);
    await expect(received).resolves.toEqual(['error:WORKSPACE_DELETED:This workspace was deleted.']);
    await expect(owner.workspace.overview({ workspaceId: doomed.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(owner.workspace.delete({ workspaceId: doomed.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(owner.workspace.overview({ workspaceId })).resolves.toBeDefined();
  });
});

/** Rows of the workspace in every table with a "workspaceId" column (read from the schema), plus its Workspace row. */
async function countWorkspaceRows(runtime: Runtime, id: string): Promise<Record<string, number>> {
  const tables = await runtime.db.query<{ table: string }>(
    `SELECT table_name AS "table" FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'workspaceId' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table } of [...tables, { table: 'Workspace' }]) {
    const column = table === 'Workspace' ? 'id' : 'workspaceId';
    const [row] = await runtime.db.query<{ count: number | string }>(`SELECT COUNT(*) AS "count" FROM "${table}" WHERE "${column}" = $1`, [id]);
    counts[table] = Number(row?.count ?? 0);
  }
  return counts;
}
