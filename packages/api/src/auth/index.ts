export { createAuth, defaultSessionExpiresInSeconds, type Auth, type CreateAuthOptions } from './better-auth';
export { createAuthenticator, apiKeyTouchIntervalMs } from './authenticator';
export { resolveAuthSecret } from './secret';
export {
  ensureDemoCredentials,
  demoOwnerEmail,
  demoCredentialsFileName,
  type DemoCredentials,
  type EnsureDemoCredentialsOptions,
} from './demo-credentials';
export {
  generateApiKey,
  generateInvitationToken,
  hashSecret,
  looksLikeApiKey,
  looksLikeInvitationToken,
  readBearerToken,
  type GeneratedSecret,
} from './tokens';
export { createAuthServices, resolvePublicBaseUrl, type AuthServices, type CreateAuthServicesOptions } from './runtime-auth';
export { hasPendingInvitation, inviteOnlyMessage, resolveSignUpPolicy, type SignUpPolicy } from './sign-up-policy';
