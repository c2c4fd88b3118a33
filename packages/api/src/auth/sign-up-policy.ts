import { APIError, createAuthMiddleware } from 'better-auth/api';
import type { Clock } from '@opspilot/core/ports';
import type { Database } from '@opspilot/db';
import type { Environment } from './secret';

/** Who may create an account through `/api/auth/sign-up/email` (see docs/decisions/0017-signup-policy.md). */
export type SignUpPolicy = 'open' | 'invite-only';

const signUpPolicies: readonly SignUpPolicy[] = ['open', 'invite-only'];

/**
 * OPSPILOT_SIGNUP when set (`open` or `invite-only`); otherwise `invite-only`
 * under NODE_ENV=production, where the console faces strangers, and `open`
 * elsewhere (development, tests). A value we do not know stops the boot: a
 * typo must not silently open sign-up.
 */
export function resolveSignUpPolicy(env: Environment): SignUpPolicy {
  const configured = env.OPSPILOT_SIGNUP?.trim().toLowerCase();
  if (configured) {
    const policy = signUpPolicies.find((candidate) => candidate === configured);
    if (!policy) throw new Error(`OPSPILOT_SIGNUP must be "open" or "invite-only", not "${env.OPSPILOT_SIGNUP}".`);
    return policy;
  }
  return env.NODE_ENV === 'production' ? 'invite-only' : 'open';
}

export const inviteOnlyMessage = 'Sign-up is by invitation only: ask a workspace owner to invite this email address, then sign up with it.';

/** True when the address has an invitation that is still pending and unexpired, in any workspace. */
export async function hasPendingInvitation(db: Database, email: string, now: Date): Promise<boolean> {
  // Invitations store the address lower-cased (CreateInvitationInput), as better-auth stores users'.
  const invitation = await db.prisma.invitation.findFirst({
    where: { email: email.trim().toLowerCase(), status: 'pending', expiresAt: { gt: now } },
    select: { id: true },
  });
  return invitation !== null;
}

/**
 * better-auth `hooks.before`: under `invite-only`, a sign-up that arrives as
 * a request (HTTP, or a server call forwarding a request's headers) needs a
 * pending invitation for its email, else 403 before anything is written.
 * Calls made by the server itself with neither (the demo owner on first
 * boot, tests) are trusted and pass.
 */
export function createSignUpGuard(options: { db: Database; clock: Clock; policy: SignUpPolicy }) {
  return createAuthMiddleware(async (context) => {
    if (options.policy === 'open' || context.path !== '/sign-up/email') return;
    if (context.request === undefined && context.headers === undefined) return;
    const body: unknown = context.body;
    const email = typeof body === 'object' && body !== null && 'email' in body && typeof body.email === 'string' ? body.email : '';
    if (email && (await hasPendingInvitation(options.db, email, options.clock.now()))) return;
    throw new APIError('FORBIDDEN', { message: inviteOnlyMessage, code: 'SIGN_UP_INVITE_ONLY' });
  });
}
