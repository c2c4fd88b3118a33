'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import styles from '../invite.module.css';
import { createAccount, signIn, type AccountResult } from './account-api';

export type AccountMode = 'create' | 'sign-in';
type Field = 'name' | 'email' | 'password';

function FieldInput(props: { field: Field; label: string; type: string; autoComplete: string; value: string; error: string | null; hint?: string; onChange: (value: string) => void }) {
  const id = `invite-${props.field}`;
  const describedBy = [props.hint ? `${id}-hint` : null, props.error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <>
      <label htmlFor={id}>{props.label}</label>
      <input id={id} name={props.field} type={props.type} autoComplete={props.autoComplete} value={props.value} onChange={(event) => props.onChange(event.target.value)} aria-invalid={Boolean(props.error)} aria-describedby={describedBy} data-testid={id} />
      {props.hint ? <span id={`${id}-hint`} className={styles.hint}>{props.hint}</span> : null}
      {props.error ? <p id={`${id}-error`} className={styles.error} data-testid={`${id}-error`}>{props.error}</p> : null}
    </>
  );
}

/**
 * Create an account (or sign in) with the invited address, then hand over to
 * `onSignedIn`, which accepts the invitation. Values survive a refusal, and a
 * refusal for "this email already has an account" offers sign-in with it.
 */
export function AccountForm({ onSignedIn }: { onSignedIn: () => void }) {
  const [mode, setMode] = useState<AccountMode>('create');
  const [values, setValues] = useState({ name: '', email: '', password: '' });
  const [result, setResult] = useState<AccountResult | null>(null);
  const [pending, setPending] = useState(false);
  const failure = result && !result.ok ? result : null;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    if (!firstRender.current) headingRef.current?.focus();
    firstRender.current = false;
  }, [mode]);
  useEffect(() => {
    if (failure?.field) document.getElementById(`invite-${failure.field}`)?.focus();
  }, [failure]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (mode === 'create' && !values.name.trim()) {
      setResult({ ok: false, field: 'name', message: 'Enter your name, as your teammates will see it.' });
      return;
    }
    setPending(true);
    const outcome = mode === 'create' ? await createAccount({ ...values, name: values.name.trim() }) : await signIn({ email: values.email, password: values.password });
    setPending(false);
    setResult(outcome);
    if (outcome.ok) onSignedIn();
  }
  function switchTo(next: AccountMode) {
    setResult(null);
    setMode(next);
  }
  const set = (field: Field) => (value: string) => setValues((current) => ({ ...current, [field]: value }));
  const errorOf = (field: Field) => (failure?.field === field ? failure.message : null);
  return (
    <form className={styles.form} onSubmit={(event) => void submit(event)} noValidate data-testid="invite-account-form" aria-labelledby="invite-account-title">
      <h2 id="invite-account-title" ref={headingRef} tabIndex={-1}>{mode === 'create' ? 'Create your account' : 'Sign in'}</h2>
      <p className={styles.hint}>Use the email address the invitation was sent to.</p>
      {mode === 'create' ? <FieldInput field="name" label="Your name" type="text" autoComplete="name" value={values.name} error={errorOf('name')} onChange={set('name')} /> : null}
      <FieldInput field="email" label="Email" type="email" autoComplete="username" value={values.email} error={errorOf('email')} onChange={set('email')} />
      <FieldInput
        field="password" label="Password" type="password" autoComplete={mode === 'create' ? 'new-password' : 'current-password'}
        value={values.password} error={errorOf('password')} hint={mode === 'create' ? 'At least 12 characters.' : undefined} onChange={set('password')}
      />
      {failure && !failure.field ? <p role="alert" className={styles.error} data-testid="invite-account-error">{failure.message}</p> : null}
      <div className={styles.actions}>
        <button type="submit" disabled={pending} data-testid="invite-account-submit">
          {pending ? 'Working…' : mode === 'create' ? 'Create account and join' : 'Sign in and join'}
        </button>
        {mode === 'create'
          ? <button type="button" className={styles.secondary} onClick={() => switchTo('sign-in')}>{failure?.suggestSignIn ? 'Sign in instead' : 'I already have an account'}</button>
          : <button type="button" className={styles.secondary} onClick={() => switchTo('create')}>Create an account instead</button>}
      </div>
    </form>
  );
}
