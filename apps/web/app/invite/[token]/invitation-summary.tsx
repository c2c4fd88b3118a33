'use client';

import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@opspilot/api';
import { useEffect, useRef } from 'react';
import { formatDate } from '~/components/charts/format';
import styles from '../invite.module.css';

export type InvitationPreview = inferRouterOutputs<AppRouter>['invitation']['preview'];

/** `Join Acme as member, invited by Olivia`: what the invitation is for, before anyone signs in. */
export function InvitationHeadline({ preview, signedInEmail }: { preview: InvitationPreview; signedInEmail: string | null }) {
  const inviter = preview.inviterName ? <>, invited by <strong>{preview.inviterName}</strong></> : null;
  return (
    <div className={styles.summary} data-testid="invite-preview" data-state={preview.state}>
      <h2>Join <strong data-testid="invite-preview-workspace">{preview.workspaceName}</strong> as {preview.role}{inviter}</h2>
      <p className={styles.hint}>
        Sent to <strong>{preview.email}</strong>{preview.expiresAt ? <>; the link works until {formatDate(preview.expiresAt, true)} UTC</> : null}.
      </p>
      {signedInEmail && preview.email && !sameMaskedAddress(signedInEmail, preview.email) ? (
        <p className={styles.error} data-testid="invite-preview-other-address">
          You are signed in as {signedInEmail}, but this invitation was sent to {preview.email}: sign out and use that address.
        </p>
      ) : null}
    </div>
  );
}

/** Whether `email` masks to `masked` (first character and domain), the only comparison the page can make. */
function sameMaskedAddress(email: string, masked: string): boolean {
  const at = email.lastIndexOf('@');
  return at > 0 && masked === `${email.slice(0, 1)}•••${email.slice(at)}`.toLowerCase();
}

/** What each unusable state means and what to do about it. */
function explain(preview: InvitationPreview): { title: string; body: string } {
  const asker = preview.inviterName ?? 'an owner of the workspace';
  switch (preview.state) {
    case 'expired':
      return {
        title: `This invitation to ${preview.workspaceName ?? 'the workspace'} has expired`,
        body: `It stopped working on ${preview.expiresAt ? formatDate(preview.expiresAt, true) : 'its expiry date'} UTC. Ask ${asker} to invite you again; the new link works right away.`,
      };
    case 'revoked':
      return { title: 'This invitation was revoked', body: 'The person who sent it took it back. If you should have access, ask them for a new invitation link.' };
    case 'accepted':
      return { title: `This invitation to ${preview.workspaceName ?? 'the workspace'} was already accepted`, body: 'An invitation works once. If it was you, sign in to open the workspace; otherwise ask for a new link.' };
    case 'unknown':
    case 'pending':
      return { title: 'This invitation link is not valid', body: 'Check that you opened the whole link from the message, or ask the person who invited you for a new one.' };
  }
}

/** An invitation that cannot be used (expired, revoked, accepted, unknown), said plainly, with the way forward. */
export function UnusableInvitation({ preview, signedIn, onSignOut }: { preview: InvitationPreview; signedIn: boolean; onSignOut: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const { title, body } = explain(preview);
  return (
    <div className={styles.card} role="alert" data-testid="invite-unusable" data-state={preview.state}>
      <h2 ref={headingRef} tabIndex={-1}>{title}</h2>
      <p>{body}</p>
      <div className={styles.actions}>
        {signedIn ? <a className="button" href="/">Go to your dashboard</a> : <a className="button" href="/sign-in">Sign in to OpsPilot</a>}
        {signedIn && preview.state === 'accepted' ? <button type="button" className={styles.secondary} onClick={onSignOut}>Sign out and use another account</button> : null}
      </div>
    </div>
  );
}
