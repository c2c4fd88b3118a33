import type { Principal } from '../../context';
import type { Runtime } from '../../runtime';
import { effectiveScopes } from './oauth-config';
import { grantTouchIntervalMs, touchOAuthGrant } from './oauth-grants';
import { findActiveGrantByAccessToken } from './oauth-store';

/** Prefix of the principal id an OAuth grant acts under (`apiKeyId: "oauth:<grantId>"`, audit actor `apikey:oauth:<grantId>`). */
export const oauthPrincipalPrefix = 'oauth:';

/**
 * The principal an OAuth access token acts as, or null when the token is
 * unknown, expired or revoked, was issued for another resource (RFC 8707
 * audience), or its person is no longer a member of the workspace. It is a
 * delegated workspace credential exactly like an API key (kind `apiKey`), so
 * every existing check applies unchanged: the workspace is fixed, the scopes
 * map onto roles through `roleForScopes`, and approvals, which need a
 * signed-in person, stay out of reach. The scopes are the granted ones cut to
 * what the person's role allows today.
 */
export async function authenticateOAuthAccessToken(runtime: Runtime, token: string, expectedResource: string): Promise<Principal | null> {
  const now = runtime.clock.now();
  const grant = await findActiveGrantByAccessToken(runtime.db, token, now);
  if (!grant || grant.resource !== expectedResource) return null;
  const role = await runtime.workspaceAccess.roleOfUser(grant.userId, grant.workspaceId);
  if (!role) return null;
  const scopes = effectiveScopes(grant.scopes, role);
  if (scopes.length === 0) return null;
  if (!grant.lastUsedAt || now.getTime() - grant.lastUsedAt.getTime() >= grantTouchIntervalMs) await touchOAuthGrant(runtime.db, grant.grantId, now);
  return { kind: 'apiKey', apiKeyId: `${oauthPrincipalPrefix}${grant.grantId}`, workspaceId: grant.workspaceId, scopes };
}
