import { z } from 'zod';
import { listWorkspacesOfUser } from '@opspilot/db';
import type { Runtime } from '../../runtime';
import { grantableScopes, oauthPaths, oauthScopes, scopeDescriptions } from './oauth-config';
import { oauthJson } from './oauth-errors';
import { buildErrorRedirect, buildRedirect, checkAuthorizationRequest, type AuthorizationRequestCheck } from './oauth-authorization-request';
import type { ClientDirectory } from './oauth-client-directory';
import { looksLikeClientIdUrl } from './oauth-client-metadata';
import { describeRedirectTarget } from './oauth-redirect-uris';
import { createAuthorizationCode } from './oauth-store';

export interface ConsentContext {
  runtime: Runtime;
  origin: string;
  clients: ClientDirectory;
}

const clientFinderOf = (context: ConsentContext) => (clientId: string) => context.clients.find(context.runtime.db, clientId, context.runtime.clock.now());

function fatalPage(message: string): Response {
  const escaped = message.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
  return new Response(`<!doctype html><meta charset="utf-8"><title>Authorization error · OpsPilot</title><h1>Cannot authorize</h1><p>${escaped}</p>`, {
    status: 400,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/**
 * GET /oauth/authorize: validates the request and sends the browser to the
 * console's consent page with the same query (the page signs in first when
 * needed). Invalid requests go back to the client's redirect URI with an
 * error, or, when the client or redirect URI cannot be trusted, end here.
 */
export async function handleAuthorize(request: Request, context: ConsentContext): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const check = await checkAuthorizationRequest(clientFinderOf(context), params, context.origin);
  if (check.kind === 'fatal') return fatalPage(check.description);
  const location = check.kind === 'redirect-error' ? buildErrorRedirect(check, context.origin) : `${context.origin}${oauthPaths.consent}?${params.toString()}`;
  return new Response(null, { status: 302, headers: { location, 'cache-control': 'no-store' } });
}

async function readSessionUser(runtime: Runtime, headers: Headers) {
  if (!headers.get('cookie')) return null;
  const session = await runtime.auth.api.getSession({ headers }).catch(() => null);
  return session ? { id: session.user.id, email: session.user.email, name: session.user.name } : null;
}

const signInRequired = () => oauthJson({ error: 'login_required', error_description: 'Sign in to OpsPilot to continue.' }, 401);

function describeCheckFailure(check: Exclude<AuthorizationRequestCheck, { kind: 'valid' }>, issuer: string): Response {
  if (check.kind === 'fatal') return oauthJson({ error: 'invalid_request', error_description: check.description }, 400);
  return oauthJson({ error: check.error, error_description: check.description, redirectTo: buildErrorRedirect(check, issuer) }, 400);
}

/** GET /oauth/consent/request?<authorization request>: what the consent page shows. Needs the console session. */
export async function describeConsent(request: Request, context: ConsentContext): Promise<Response> {
  const user = await readSessionUser(context.runtime, request.headers);
  if (!user) return signInRequired();
  const check = await checkAuthorizationRequest(clientFinderOf(context), new URL(request.url).searchParams, context.origin);
  if (check.kind !== 'valid') return describeCheckFailure(check, context.origin);
  const workspaces = await listWorkspacesOfUser(context.runtime.db, user.id);
  return oauthJson({
    user: { email: user.email, name: user.name },
    client: {
      name: check.client.name,
      redirectUri: check.redirectUri,
      redirectHost: new URL(check.redirectUri).host,
      // web (a site's host), loopback (an app on the person's computer) or app (a private-use scheme such as cursor:).
      redirectTarget: describeRedirectTarget(check.redirectUri),
      // Set for Client ID Metadata Document clients: the name is the document's claim, the host is what was verified.
      clientIdHost: looksLikeClientIdUrl(check.client.clientId) ? new URL(check.client.clientId).host : null,
    },
    resource: check.resource,
    scopes: check.scopes.map((scope) => ({ scope, description: scopeDescriptions[scope] })),
    workspaces: workspaces.map((workspace) => ({ id: workspace.id, name: workspace.name, role: workspace.role, grantableScopes: grantableScopes(workspace.role) })),
  });
}

export const ConsentDecisionInput = z.object({
  /** The authorization request's query string, exactly as the consent page received it. */
  request: z.string().min(1).max(8_000),
  decision: z.enum(['approve', 'deny']),
  workspaceId: z.string().min(1).max(64).optional(),
  scopes: z.array(z.enum(oauthScopes)).max(oauthScopes.length).optional(),
});
export type ConsentDecisionInput = z.infer<typeof ConsentDecisionInput>;

/**
 * POST /oauth/consent/request: the signed-in person's decision. Same-origin
 * only (the Origin header must be this server: a cross-site page cannot
 * approve on someone's behalf, and SameSite=Lax keeps the cookie off
 * cross-site POSTs anyway). The request is validated again; the workspace
 * must be one of the person's; the scopes are cut to what was requested and
 * what the person's role may grant.
 */
export async function decideConsent(request: Request, context: ConsentContext): Promise<Response> {
  if (request.headers.get('origin') !== context.origin) return oauthJson({ error: 'invalid_request', error_description: 'Cross-origin consent is refused.' }, 403);
  const user = await readSessionUser(context.runtime, request.headers);
  if (!user) return signInRequired();
  const parsed = ConsentDecisionInput.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return oauthJson({ error: 'invalid_request', error_description: 'Send {request, decision, workspaceId, scopes} as JSON.' }, 400);
  const input = parsed.data;
  const check = await checkAuthorizationRequest(clientFinderOf(context), new URLSearchParams(input.request), context.origin);
  if (check.kind !== 'valid') return describeCheckFailure(check, context.origin);
  if (input.decision === 'deny') {
    const redirectTo = buildErrorRedirect({ kind: 'redirect-error', redirectUri: check.redirectUri, state: check.state, error: 'access_denied', description: 'The person declined.' }, context.origin);
    return oauthJson({ redirectTo });
  }
  const role = input.workspaceId ? await context.runtime.workspaceAccess.roleOfUser(user.id, input.workspaceId) : null;
  if (!input.workspaceId || !role) return oauthJson({ error: 'invalid_request', error_description: 'Choose one of your workspaces.' }, 400);
  const allowed = grantableScopes(role);
  const scopes = (input.scopes ?? check.scopes).filter((scope) => check.scopes.includes(scope) && allowed.includes(scope));
  if (scopes.length === 0) return oauthJson({ error: 'invalid_scope', error_description: 'Approve at least one permission your role allows.' }, 400);
  const code = await createAuthorizationCode(
    context.runtime.db,
    { clientId: check.client.clientId, userId: user.id, workspaceId: input.workspaceId, scopes, redirectUri: check.redirectUri, codeChallenge: check.codeChallenge, resource: check.resource },
    context.runtime.clock.now(),
  );
  return oauthJson({ redirectTo: buildRedirect(check.redirectUri, { code, state: check.state }, context.origin) });
}
