'use client';

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { loadConsent, sendDecision, signIn, type ConsentDetails, type ConsentState } from './consent-api';
import styles from './consent.module.css';

const formText = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

function SignInStep({ onSignedIn }: { onSignedIn: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    const failure = await signIn(formText(form, 'email'), formText(form, 'password')).catch(() => 'The server could not be reached.');
    setPending(false);
    setError(failure);
    if (!failure) onSignedIn();
  }
  return (
    <form className={styles.card} onSubmit={(event) => void handleSubmit(event)} data-testid="consent-sign-in">
      <p className={styles.hint}>Sign in to OpsPilot to choose what the app may do.</p>
      <label htmlFor="consent-email">Email</label>
      <input id="consent-email" name="email" type="email" autoComplete="username" required data-testid="sign-in-email" />
      <label htmlFor="consent-password">Password</label>
      <input id="consent-password" name="password" type="password" autoComplete="current-password" required data-testid="sign-in-password" />
      <div className={styles.actions}>
        <button type="submit" disabled={pending} data-testid="sign-in-submit">{pending ? 'Signing in…' : 'Sign in'}</button>
      </div>
      <p className={styles.error} role="alert" hidden={!error}>{error}</p>
    </form>
  );
}

/** Where the browser goes after the decision, said so that a private-use scheme (another app) cannot pass unnoticed. */
function ReturnTarget({ client }: { client: ConsentDetails['client'] }) {
  const target = client.redirectTarget;
  switch (target.kind) {
    case 'web':
      return <>After you decide, you go back to <strong>{target.label}</strong>.</>;
    case 'loopback':
      return <>After you decide, the answer goes to an application on this computer (<strong>{target.label}</strong>).</>;
    case 'app':
      return (
        <>
          After you decide, the answer goes to the application that opens <strong data-testid="consent-scheme">{target.label}</strong> links
          (<code>{client.redirectUri}</code>). Allow only if you started this from that application.
        </>
      );
  }
}

function ApproveStep({ details, request }: { details: ConsentDetails; request: string }) {
  const [workspaceId, setWorkspaceId] = useState(details.workspaces[0]?.id ?? '');
  const [declined, setDeclined] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const workspace = details.workspaces.find((candidate) => candidate.id === workspaceId);
  const grantable = new Set(workspace?.grantableScopes ?? []);
  const chosen = details.scopes.map((item) => item.scope).filter((scope) => grantable.has(scope) && !declined.has(scope));

  async function decide(decision: 'approve' | 'deny') {
    setPending(true);
    setError(null);
    const result = await sendDecision({ request, decision, ...(decision === 'approve' ? { workspaceId, scopes: chosen } : {}) }).catch(() => ({ message: 'The server could not be reached.' }));
    if ('redirectTo' in result) {
      window.location.assign(result.redirectTo);
      return;
    }
    setPending(false);
    setError(result.message);
  }
  const toggle = (scope: string, on: boolean) => setDeclined((current) => {
    const next = new Set(current);
    if (on) next.delete(scope);
    else next.add(scope);
    return next;
  });

  if (details.workspaces.length === 0) return <div className={styles.card}><p>You are not a member of any workspace yet.</p></div>;
  return (
    <form className={styles.card} onSubmit={(event) => event.preventDefault()} data-testid="consent-form">
      <h2 data-testid="consent-client">{details.client.name} wants to use OpsPilot as you</h2>
      <p className={styles.hint}>
        Signed in as {details.user.email}. <ReturnTarget client={details.client} />
      </p>
      {details.client.clientIdHost ? (
        <p className={styles.hint} data-testid="consent-client-id-host">
          The name above is the application&apos;s own claim; its description is published by <strong>{details.client.clientIdHost}</strong>.
        </p>
      ) : null}
      <label htmlFor="consent-workspace">Workspace it may act in</label>
      <select id="consent-workspace" value={workspaceId} onChange={(event) => setWorkspaceId(event.target.value)} data-testid="consent-workspace">
        {details.workspaces.map((item) => <option key={item.id} value={item.id}>{item.name} ({item.role})</option>)}
      </select>
      <fieldset>
        <legend>Permissions</legend>
        {details.scopes.map((item) => (
          <label key={item.scope} className={styles.scope}>
            <input type="checkbox" checked={grantable.has(item.scope) && !declined.has(item.scope)} disabled={!grantable.has(item.scope)}
              onChange={(event) => toggle(item.scope, event.target.checked)} data-testid={`consent-scope-${item.scope}`} />
            <span>{item.description}{grantable.has(item.scope) ? null : <small>Your role in this workspace cannot grant this.</small>}</span>
          </label>
        ))}
      </fieldset>
      <p className={styles.hint}>It can never approve workflow runs: a person does that in OpsPilot.</p>
      <div className={styles.actions}>
        <button type="button" disabled={pending || chosen.length === 0} onClick={() => void decide('approve')} data-testid="consent-approve">Allow</button>
        <button type="button" className={styles.secondary} disabled={pending} onClick={() => void decide('deny')} data-testid="consent-deny">Deny</button>
      </div>
      <p className={styles.error} role="alert" hidden={!error} data-testid="consent-error">{error}</p>
    </form>
  );
}

/** Signs the person in when needed, then shows the app, the workspace choice and the permissions. */
export function ConsentForm({ request }: { request: string }) {
  const [state, setState] = useState<ConsentState>({ kind: 'loading' });
  const load = useCallback(() => {
    setState({ kind: 'loading' });
    void loadConsent(request).then(setState, () => setState({ kind: 'failed', message: 'The server could not be reached.', redirectTo: null }));
  }, [request]);
  useEffect(load, [load]);

  switch (state.kind) {
    case 'loading':
      return <div className={styles.card}><p className={styles.hint}>Loading…</p></div>;
    case 'sign-in':
      return <SignInStep onSignedIn={load} />;
    case 'failed':
      return (
        <div className={styles.card} data-testid="consent-failed">
          <p className={styles.error}>{state.message}</p>
          {/* Without a way back to the app, say what to do: the request is only ever started by the app. */}
          {state.redirectTo ? <a href={state.redirectTo}>Return to the application</a> : <p className={styles.hint}>Start connecting again from the application; it opens this page with a fresh request.</p>}
        </div>
      );
    case 'ready':
      return <ApproveStep details={state.details} request={request} />;
  }
}
