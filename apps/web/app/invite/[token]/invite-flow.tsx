'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { rememberWorkspace } from '~/components/console/workspace-cookie';
import { useTRPC } from '~/trpc/react';
import styles from '../invite.module.css';
import { AccountForm } from './account-form';
import { InvitationHeadline, UnusableInvitation } from './invitation-summary';

function InvalidInvitation({ email, onSignOut }: { email: string | null; onSignOut: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className={styles.card} role="alert" data-testid="invite-invalid">
      <h2 ref={headingRef} tabIndex={-1}>This invitation cannot be used</h2>
      <p>
        It has expired, was revoked or already used{email ? <>, or it was sent to an address other than <strong>{email}</strong></> : null}.
        Ask the workspace owner for a new invitation link.
      </p>
      <div className={styles.actions}>
        <a className="button" href="/">Go to your dashboard</a>
        {email ? <button type="button" className={styles.secondary} onClick={onSignOut}>Sign out and use another account</button> : null}
      </div>
    </div>
  );
}

/**
 * The invitation journey: first what the invitation is for (`invitation.preview`:
 * workspace, role, inviter, or why it cannot be used); then, signed out, create
 * an account (or sign in) with the invited address; signed in, accept.
 * Acceptance selects the workspace (the console's cookie) and opens its
 * dashboard. If the preview cannot be had (rate limit, network), the journey
 * still works without it.
 */
export function InviteFlow({ token }: { token: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), retry: false });
  const preview = useQuery({ ...trpc.invitation.preview.queryOptions({ token }), retry: false, staleTime: Infinity });
  const accept = useMutation(trpc.invitation.accept.mutationOptions({
    onSuccess: ({ workspaceId }) => {
      rememberWorkspace(workspaceId);
      // A full load: the console's server render reads the new cookie and the new membership.
      window.location.assign('/');
    },
  }));
  const signOut = useMutation(trpc.auth.signOut.mutationOptions());
  const user = me.data?.kind === 'user' ? me.data : null;

  async function switchAccount() {
    // Signing out never fails for lack of a session; a network failure shows as still signed in.
    await signOut.mutateAsync().catch(() => undefined);
    accept.reset();
    await queryClient.resetQueries({ queryKey: trpc.auth.me.queryKey() });
  }
  function acceptAfterSignIn() {
    // Accept first (the page shows "Joining…"), then learn who signed in, for the message if the token is refused.
    accept.mutate({ token }, { onError: () => void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }) });
  }

  if (me.isLoading || preview.isLoading) return <div className={styles.card} role="status" aria-busy="true">Checking the invitation…</div>;
  if (accept.error?.data?.code === 'NOT_FOUND') return <InvalidInvitation email={user?.email ?? null} onSignOut={() => void switchAccount()} />;
  if (accept.isPending || accept.isSuccess) return <div className={styles.card} role="status" aria-busy="true">Joining the workspace…</div>;
  const shown = preview.data ?? null;
  if (shown && shown.state !== 'pending') return <UnusableInvitation preview={shown} signedIn={user !== null} onSignOut={() => void switchAccount()} />;
  const headline = shown ? <InvitationHeadline preview={shown} signedInEmail={user?.email ?? null} /> : null;
  const otherError = accept.error ? <p role="alert" className={styles.error} data-testid="invite-accept-error">Could not accept the invitation: {accept.error.message}</p> : null;
  if (!user) {
    return (
      <div className={styles.card} data-testid="invite-signed-out">
        {headline}
        <p>{shown ? null : 'You have been invited to a workspace on OpsPilot. '}Create an account with the email address the invitation was sent to, or sign in if you already have one; you join as soon as you are in.</p>
        {otherError}
        <AccountForm onSignedIn={acceptAfterSignIn} />
      </div>
    );
  }
  return (
    <div className={styles.card} data-testid="invite-signed-in">
      {headline}
      <p>You are signed in as <strong>{user.email}</strong>. Accept the invitation to join the workspace with this account.</p>
      {otherError}
      <div className={styles.actions}>
        <button type="button" onClick={() => accept.mutate({ token })} data-testid="invite-accept">Accept invitation</button>
        <button type="button" className={styles.secondary} onClick={() => void switchAccount()}>Sign out and use another account</button>
      </div>
    </div>
  );
}
