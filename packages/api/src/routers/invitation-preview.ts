import { z } from 'zod';
import { findInvitationPreview, type InvitationLiveStatus, type InvitationPreviewRow } from '@opspilot/db';
import { hashSecret } from '../auth/tokens';
import { publicProcedure } from '../procedures';
import { enforceOne } from '../rate-limit/enforce';
import { MemberRoleInput } from './members';

/** Previews answer strangers: 30 a minute per client address (as OAuth's open endpoints), on top of the per-address limit of every call. */
export const previewsPerMinutePerAddress = 30;

export const PreviewInvitationInput = z.object({ token: z.string().min(1).max(128) });
export type PreviewInvitationInput = z.infer<typeof PreviewInvitationInput>;

export const InvitationPreviewState = z.enum(['pending', 'expired', 'revoked', 'accepted', 'unknown']);

/** Everything the invite page may know before sign-in, and nothing else: no ids, no members, no full address. */
export const InvitationPreviewOutput = z.object({
  state: InvitationPreviewState,
  workspaceName: z.string().nullable(),
  inviterName: z.string().nullable(),
  role: MemberRoleInput.nullable(),
  /** The invited address with its local part masked, e.g. `a•••@example.com`. */
  email: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type InvitationPreviewOutput = z.infer<typeof InvitationPreviewOutput>;

/**
 * A revoked invitation says nothing more than an unknown one: revoking is
 * how an owner takes back a link that reached the wrong person.
 */
const showsDetails = (status: InvitationLiveStatus): boolean => status !== 'revoked';

/** `alice@example.com` as `a•••@example.com`: enough to tell which address to use, not enough to learn it. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

function toPreviewOutput(row: InvitationPreviewRow | null): InvitationPreviewOutput {
  if (!row || !showsDetails(row.status)) {
    return { state: row ? row.status : 'unknown', workspaceName: null, inviterName: null, role: null, email: null, expiresAt: null };
  }
  return { state: row.status, workspaceName: row.workspaceName, inviterName: row.inviterName, role: row.role, email: maskEmail(row.email), expiresAt: row.expiresAt.toISOString() };
}

/**
 * What an invitation link is for, before anyone signs in. Every token, well
 * formed or not, takes the same path: its SHA-256 is looked up in the unique
 * index, as acceptance does, so the answer's timing does not depend on how
 * much of a guess matches a real token, and an unknown token answers in the
 * revoked shape.
 */
export const previewInvitationProcedure = publicProcedure
  .meta({ openapi: { method: 'GET', path: '/v1/invitations/preview', summary: 'What an invitation link is for: workspace, inviter, role, masked address, expiry, state (no credentials needed)', tags: ['members'] } })
  .input(PreviewInvitationInput)
  .output(InvitationPreviewOutput)
  .query(async ({ ctx, input }) => {
    // No shared bucket for callers without an address (in-process callers): one client could starve everyone.
    if (ctx.ip !== 'unknown') await enforceOne(ctx, `invitation-preview:${ctx.ip}`, previewsPerMinutePerAddress);
    ctx.responseHeaders.set('cache-control', 'no-store');
    const row = await findInvitationPreview(ctx.runtime.db, { tokenHash: hashSecret(input.token), now: ctx.runtime.clock.now(), includeInviter: showsDetails });
    return toPreviewOutput(row);
  });
