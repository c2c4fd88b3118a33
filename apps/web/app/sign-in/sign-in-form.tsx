'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { requestSignIn } from '~/auth/request-sign-in';
import styles from './sign-in.module.css';

export function SignInForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : '';
    };
    setPending(true);
    setError(null);
    const failure = await requestSignIn(field('email'), field('password')).catch(
      () => 'The server could not be reached.',
    );
    setPending(false);
    if (failure) {
      setError(failure);
      return;
    }
    router.replace('/');
    router.refresh();
  }

  return (
    <form
      className={styles.card}
      onSubmit={(event) => void handleSubmit(event)}
      data-testid="sign-in-form"
      aria-describedby="sign-in-error"
    >
      <label htmlFor="sign-in-email">Email</label>
      <input id="sign-in-email" name="email" type="email" autoComplete="username" required data-testid="sign-in-email" />
      <label htmlFor="sign-in-password">Password</label>
      <input
        id="sign-in-password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        data-testid="sign-in-password"
      />
      <button type="submit" disabled={pending} data-testid="sign-in-submit">
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
      <p id="sign-in-error" className={styles.error} role="alert" data-testid="sign-in-error" hidden={!error}>
        {error}
      </p>
    </form>
  );
}
