/** The shapes GET/POST /oauth/consent/request answer with (packages/api/src/auth/oauth/oauth-consent.ts). */
export interface ConsentWorkspace {
  id: string;
  name: string;
  role: string;
  grantableScopes: string[];
}

export interface ConsentDetails {
  user: { email: string; name: string };
  client: {
    name: string;
    redirectUri: string;
    redirectHost: string;
    /** web: a site; loopback: an app on this computer; app: an app's own URI scheme (label is e.g. `cursor:`). */
    redirectTarget: { kind: 'web' | 'loopback' | 'app'; label: string; scheme: string };
    /** The host that serves the app's metadata document (client_id is a URL), else null. */
    clientIdHost: string | null;
  };
  resource: string;
  scopes: { scope: string; description: string }[];
  workspaces: ConsentWorkspace[];
}

export type ConsentState =
  | { kind: 'loading' }
  | { kind: 'sign-in' }
  | { kind: 'failed'; message: string; redirectTo: string | null }
  | { kind: 'ready'; details: ConsentDetails };

interface ErrorBody {
  error?: string;
  error_description?: string;
  redirectTo?: string;
}

export async function loadConsent(request: string): Promise<ConsentState> {
  const response = await fetch(`/oauth/consent/request?${request}`, { credentials: 'same-origin', cache: 'no-store' });
  if (response.status === 401) return { kind: 'sign-in' };
  const body = (await response.json().catch(() => ({}))) as ConsentDetails & ErrorBody;
  if (!response.ok) return { kind: 'failed', message: body.error_description ?? 'This authorization request is not valid.', redirectTo: body.redirectTo ?? null };
  return { kind: 'ready', details: body };
}

/** Sends the decision; answers the URL to send the browser to, or an error message. */
export async function sendDecision(decision: { request: string; decision: 'approve' | 'deny'; workspaceId?: string; scopes?: string[] }): Promise<{ redirectTo: string } | { message: string }> {
  const response = await fetch('/oauth/consent/request', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(decision),
  });
  const body = (await response.json().catch(() => ({}))) as ErrorBody;
  if (response.ok && body.redirectTo) return { redirectTo: body.redirectTo };
  return { message: body.error_description ?? 'The decision could not be saved. Try again.' };
}

/** The console's own sign-in, shared with the sign-in page. */
export { requestSignIn as signIn } from '~/auth/request-sign-in';
