import { requestSignIn } from '~/auth/request-sign-in';

/** The outcome of creating an account or signing in: a message, and the field it belongs to when there is one. */
export type AccountResult =
  | { ok: true }
  | { ok: false; field: 'name' | 'email' | 'password' | null; message: string; suggestSignIn?: boolean };

const tooManyAttempts: AccountResult = { ok: false, field: null, message: 'Too many attempts. Wait a minute and try again.' };
const unreachable: AccountResult = { ok: false, field: null, message: 'The server could not be reached. Check your connection and try again.' };

async function readErrorBody(response: Response): Promise<{ code: string; message: string }> {
  const body: unknown = await response.json().catch(() => null);
  const read = (key: string) => (typeof body === 'object' && body !== null && key in body ? String((body as Record<string, unknown>)[key]) : '');
  return { code: read('code'), message: read('message') };
}

/**
 * better-auth's email sign-up (it signs the new account in). Under the
 * invite-only policy it answers 403 SIGN_UP_INVITE_ONLY when the address has
 * no pending invitation, which here means: wrong address, or the invitation
 * expired or was revoked.
 */
export async function createAccount(input: { name: string; email: string; password: string }): Promise<AccountResult> {
  const response = await fetch('/api/auth/sign-up/email', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
    credentials: 'same-origin',
  }).catch(() => null);
  if (!response) return unreachable;
  if (response.ok) return { ok: true };
  if (response.status === 429) return tooManyAttempts;
  const { code, message } = await readErrorBody(response);
  if (code === 'SIGN_UP_INVITE_ONLY') {
    return {
      ok: false,
      field: 'email',
      message: `There is no pending invitation for ${input.email}. Use the address the invitation was sent to; if it is that one, the invitation expired or was revoked: ask the workspace owner for a new link.`,
    };
  }
  if (code.startsWith('USER_ALREADY_EXISTS')) return { ok: false, field: 'email', message: 'An account with this email already exists: sign in instead.', suggestSignIn: true };
  if (code === 'INVALID_EMAIL') return { ok: false, field: 'email', message: 'Enter a valid email address.' };
  if (code.startsWith('PASSWORD_TOO_SHORT')) return { ok: false, field: 'password', message: 'Use at least 12 characters.' };
  if (code.startsWith('PASSWORD_TOO_LONG')) return { ok: false, field: 'password', message: 'Use at most 256 characters.' };
  return { ok: false, field: null, message: message || `Could not create the account (HTTP ${response.status}).` };
}

/** The console's own sign-in (it sets the session cookie and counts attempts per email), shared with the sign-in page. */
export async function signIn(input: { email: string; password: string }): Promise<AccountResult> {
  const failure = await requestSignIn(input.email, input.password).then((message) => ({ message }), () => null);
  if (!failure) return unreachable;
  if (failure.message === null) return { ok: true };
  return { ok: false, field: /valid email/.test(failure.message) ? 'email' : null, message: failure.message };
}
