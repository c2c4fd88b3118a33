'use client';

import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@opspilot/api';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/trpc/react';
import { formatDate } from '../charts/format';
import { EmptyState, ErrorState, Loading } from '../console/states';
import { ConfirmInPlace } from './confirm-in-place';
import { focusFirstInvalid, readFormErrors } from './field-errors';
import { LoadMore, nextCursorOf, settingsPageSize } from './load-more';
import { memberRoles } from './members';
import { OneTimeSecret } from './one-time-secret';
import { useStatusMessage } from './status-message';

type Invitation = inferRouterOutputs<AppRouter>['invitation']['list']['items'][number];
type Role = Invitation['role'];
interface CreatedLink { email: string; link: string; expiresAt: string }

const fieldIds = { email: 'invite-email', role: 'invite-role' };
const fieldNames = Object.keys(fieldIds);

function InviteForm({ workspaceId, onCreated }: { workspaceId: string; onCreated: (created: CreatedLink) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const create = useMutation(trpc.invitation.create.mutationOptions({
    onSuccess: ({ invitation, token }) => {
      setEmail('');
      void queryClient.invalidateQueries({ queryKey: trpc.invitation.list.infiniteQueryKey({ workspaceId }) });
      onCreated({ email: invitation.email, link: `${window.location.origin}/invite/${token}`, expiresAt: invitation.expiresAt });
    },
    onError: (error) => focusFirstInvalid(readFormErrors(error, fieldNames), fieldIds),
  }));
  const errors = readFormErrors(create.error, fieldNames);
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ workspaceId, email: email.trim(), role });
  }
  return (
    <form className="settings-form" onSubmit={submit} noValidate aria-label="Invite someone" data-testid="invite-form">
      <div className="form-fields">
        <div>
          <label htmlFor={fieldIds.email}>Email</label>
          <input id={fieldIds.email} type="email" autoComplete="off" value={email} onChange={(event) => setEmail(event.target.value)} aria-invalid={Boolean(errors.fields.email)} aria-describedby={errors.fields.email ? 'invite-email-error' : undefined} placeholder="name@company.com" />
          {errors.fields.email ? <p id="invite-email-error" className="field-error" data-testid="invite-email-error">{errors.fields.email}</p> : null}
        </div>
        <div>
          <label htmlFor={fieldIds.role}>Role</label>
          <select id={fieldIds.role} value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {memberRoles.map((candidate) => <option key={candidate} value={candidate}>{candidate}</option>)}
          </select>
        </div>
      </div>
      <div className="row"><button type="submit" disabled={create.isPending}>{create.isPending ? 'Inviting…' : 'Create invitation link'}</button></div>
      {errors.general ? <p role="alert" className="field-error">Could not invite: {errors.general}</p> : null}
    </form>
  );
}

function PendingInvitations({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Only pending ones are listed, so the server filters: a page of accepted invitations must not read as "none pending".
  const invitations = useInfiniteQuery(trpc.invitation.list.infiniteQueryOptions({ workspaceId, status: 'pending', limit: settingsPageSize }, { getNextPageParam: nextCursorOf }));
  const status = useStatusMessage('invitations-status');
  const revoke = useMutation(trpc.invitation.revoke.mutationOptions({
    onSuccess: async (revoked) => {
      await queryClient.invalidateQueries({ queryKey: trpc.invitation.list.infiniteQueryKey({ workspaceId }) });
      status.announce(`The invitation for ${revoked.email} was revoked; its link no longer works.`);
    },
  }));
  if (invitations.isLoading) return <Loading label="Loading invitations…" />;
  if (!invitations.data) return <ErrorState title="Invitations could not load" message={invitations.error?.message ?? 'No answer from the server.'} />;
  const pending = invitations.data.pages.flatMap((page) => page.items);
  if (pending.length === 0) {
    return (
      <>
        {status.element}
        <EmptyState title="No pending invitations." testId="invitations-empty">Accepted, revoked and expired invitations are not listed.</EmptyState>
      </>
    );
  }
  return (
    <>
      {status.element}
      <table className="data" data-testid="invitations">
        <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Invited</th><th scope="col">Expires</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {pending.map((invitation: Invitation) => (
            <tr key={invitation.id}>
              <td>{invitation.email}</td>
              <td>{invitation.role}</td>
              <td>{formatDate(invitation.createdAt)}</td>
              <td>{formatDate(invitation.expiresAt, true)}</td>
              <td>
                <ConfirmInPlace
                  label="Revoke" subject={`the invitation for ${invitation.email}`} question="The link stops working now. Revoke?"
                  confirmLabel="Yes, revoke" busyLabel="Revoking…" busy={revoke.isPending && revoke.variables.invitationId === invitation.id}
                  error={revoke.error && revoke.variables?.invitationId === invitation.id ? `Could not revoke: ${revoke.error.message}` : null}
                  onConfirm={() => revoke.mutate({ workspaceId, invitationId: invitation.id })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore list={invitations} shown={pending.length} noun="invitations" testId="invitations-load-more" />
    </>
  );
}

/**
 * Owners invite by email and role; the link is shown once (only its hash is
 * kept) and works for that address until it expires or is revoked.
 */
export function Invitations({ workspaceId }: { workspaceId: string }) {
  const [created, setCreated] = useState<CreatedLink | null>(null);
  function finishCreated() {
    setCreated(null);
    document.getElementById(fieldIds.email)?.focus();
  }
  return (
    <>
      {created ? (
        <OneTimeSecret title={`Invitation link for ${created.email}`} value={created.link} valueLabel="Invitation link" onDone={finishCreated} testId="invitation-link">
          Send this link to {created.email}. It works once, for that email address, until {formatDate(created.expiresAt, true)}.
          You will not see it again; if it is lost, revoke the invitation and invite again.
        </OneTimeSecret>
      ) : null}
      <InviteForm workspaceId={workspaceId} onCreated={setCreated} />
      <h3>Pending</h3>
      <PendingInvitations workspaceId={workspaceId} />
    </>
  );
}
