import type { Metadata } from 'next';
import { resolveSignUpPolicy } from '@opspilot/api/server';
import { SignInForm } from './sign-in-form';
import styles from './sign-in.module.css';

export const metadata: Metadata = { title: 'Sign in · OpsPilot' };
// OPSPILOT_SIGNUP is read when the page is served, not when it is built.
export const dynamic = 'force-dynamic';

export default function SignInPage() {
  const policy = resolveSignUpPolicy(process.env);
  return (
    <main className={styles.page}>
      <h1 className="brand">Sign in to OpsPilot</h1>
      <SignInForm />
      <p className={styles.hint}>
        First run? The demo owner&apos;s email and password are in <code>.data/demo-credentials.json</code>.
      </p>
      {policy === 'invite-only' ? (
        <p className={styles.hint} data-testid="sign-up-hint" data-policy="invite-only">
          No account yet? Sign-up here is by invitation: ask a workspace owner for an invitation link. Opening it lets you
          create your account with the invited email address.
        </p>
      ) : (
        <p className={styles.hint} data-testid="sign-up-hint" data-policy="open">
          No account yet? A workspace owner&apos;s invitation link lets you create your account and join their workspace
          in one step. Sign-up is also open on this server without one (<code>POST /api/auth/sign-up/email</code>).
        </p>
      )}
    </main>
  );
}
