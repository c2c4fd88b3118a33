import type { Metadata } from 'next';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in · OpsPilot' };

export default function SignInPage() {
  return (
    <main className="sign-in">
      <h1>Sign in to OpsPilot</h1>
      <SignInForm />
    </main>
  );
}
