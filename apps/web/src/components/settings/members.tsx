'use client';

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@opspilot/api';
import { useState } from 'react';
import { useTRPC } from '~/trpc/react';
import { formatDate } from '../charts/format';
import { ErrorState, Loading } from '../console/states';
import { ConfirmInPlace } from './confirm-in-place';
import { LoadMore, nextCursorOf, settingsPageSize } from './load-more';
import { useStatusMessage } from './status-message';

type Member = inferRouterOutputs<AppRouter>['member']['list']['items'][number];
type Role = Member['role'];
export const memberRoles: Role[] = ['owner', 'admin', 'member', 'viewer'];

/** After a change, both the members and the caller's own workspaces (their role may be the one that changed). */
function useRefreshMembers(workspaceId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.member.list.infiniteQueryKey({ workspaceId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.workspace.list.queryKey() }),
    ]);
  };
}

/** A role select with an explicit Save: changing a role is deliberate, and the select alone must not act on a keyboard scroll. */
function RoleEditor({ member, workspaceId, announce }: { member: Member; workspaceId: string; announce: (message: string) => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshMembers(workspaceId);
  const [role, setRole] = useState<Role>(member.role);
  const change = useMutation(trpc.member.changeRole.mutationOptions({
    onSuccess: async (changed) => {
      await refresh();
      announce(`${changed.name} is now ${changed.role}.`);
    },
  }));
  const selectId = `member-role-${member.id}`;
  return (
    <div className="row">
      <label htmlFor={selectId} className="visually-hidden">Role of {member.name}</label>
      <select id={selectId} value={role} onChange={(event) => { change.reset(); setRole(event.target.value as Role); }}>
        {memberRoles.map((candidate) => <option key={candidate} value={candidate}>{candidate}</option>)}
      </select>
      {role !== member.role ? (
        <button type="button" disabled={change.isPending} aria-label={`Save role of ${member.name}`} onClick={() => change.mutate({ workspaceId, memberId: member.id, role })}>
          {change.isPending ? 'Saving…' : 'Save'}
        </button>
      ) : null}
      {change.error ? <p role="alert" className="field-error" data-testid="member-role-error">Could not change the role: {change.error.message}</p> : null}
    </div>
  );
}

function RemoveMember({ member, workspaceId, announce }: { member: Member; workspaceId: string; announce: (message: string) => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshMembers(workspaceId);
  const remove = useMutation(trpc.member.remove.mutationOptions({
    onSuccess: async () => {
      await refresh();
      announce(`${member.name} was removed from this workspace.`);
    },
  }));
  return (
    <ConfirmInPlace
      label="Remove" subject={member.name} question={`${member.name} loses access to this workspace now. Remove?`}
      confirmLabel="Yes, remove" busyLabel="Removing…" busy={remove.isPending}
      error={remove.error ? `Could not remove: ${remove.error.message}` : null}
      onConfirm={() => remove.mutate({ workspaceId, memberId: member.id })}
    />
  );
}

/**
 * Members and roles. Everyone sees them; owners change roles and remove
 * people. The server keeps at least one owner and says so when refused.
 */
export function Members({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const members = useInfiniteQuery(trpc.member.list.infiniteQueryOptions({ workspaceId, limit: settingsPageSize }, { getNextPageParam: nextCursorOf }));
  const me = useQuery({ ...trpc.auth.me.queryOptions(), retry: false });
  const myUserId = me.data?.kind === 'user' ? me.data.userId : null;
  const status = useStatusMessage('members-status');
  if (members.isLoading) return <Loading label="Loading members…" />;
  if (!members.data) return <ErrorState title="Members could not load" message={members.error?.message ?? 'No answer from the server.'} />;
  const rows = members.data.pages.flatMap((page) => page.items);
  return (
    <>
      {canManage ? null : <p className="muted" style={{ marginTop: 0 }}>Only owners change roles, remove people and invite.</p>}
      <table className="data" data-testid="members">
        <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Since</th>{canManage ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}</tr></thead>
        <tbody>
          {rows.map((member) => (
            <tr key={member.id} data-testid="member-row">
              <td>{member.name}{member.userId === myUserId ? <span className="muted"> (you)</span> : null}</td>
              <td>{member.email}</td>
              <td>{canManage ? <RoleEditor key={member.role} member={member} workspaceId={workspaceId} announce={status.announce} /> : member.role}</td>
              <td>{formatDate(member.createdAt)}</td>
              {canManage ? <td><RemoveMember member={member} workspaceId={workspaceId} announce={status.announce} /></td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore list={members} shown={rows.length} noun="members" testId="members-load-more" />
      {status.element}
    </>
  );
}
