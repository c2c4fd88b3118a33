import type { Metadata } from 'next';
import { SignInForm } from './sign-in-form';
import styles from './sign-in.module.css';

export const metadata: Metadata = { title: 'Sign in · OpsPilot' };

export default function SignInPage() {
  return (
    <main className={styles.page}>
      <h1 className="brand">Sign in to OpsPilot</h1>
      <SignInForm />
      <p className={styles.hint}>
        First run? The demo owner&apos;s email and password are in <code>.data/demo-credentials.json</code>.
      </p>
    </main>
  );
}
