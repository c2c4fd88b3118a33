export { handleOAuthRequest, type OAuthHandlerOptions } from './oauth-handler';
export { authenticateOAuthAccessToken, oauthPrincipalPrefix } from './oauth-principal';
export { looksLikeOAuthAccessToken } from './oauth-secrets';
export {
  buildAuthorizationServerMetadata, buildProtectedResourceMetadata, mcpResourceOf, oauthLifetimes, oauthPaths, oauthScopes,
  protectedResourceMetadataUrlOf, resolvePublicOrigin, scopeDescriptions, type OAuthScope,
} from './oauth-config';
export { ConsentDecisionInput } from './oauth-consent';
export { grantTouchIntervalMs, listConnectedApps, revokeConnectedApp, type ConnectedApp, type GrantViewer } from './oauth-grants';
export { purgeExpiredOAuthState, type OAuthHousekeepingOptions, type OAuthHousekeepingResult } from './oauth-housekeeping';
