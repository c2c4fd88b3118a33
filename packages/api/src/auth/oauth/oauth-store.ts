import type { Database } from '@opspilot/db';
import { hashSecret } from '../tokens';
import { oauthLifetimes } from './oauth-config';
import { OAuthProtocolError } from './oauth-errors';
import { generateOAuthSecret, verifyPkce } from './oauth-secrets';

export interface RegisteredClient {
  clientId: string;
  name: string;
  redirectUris: string[];
  tokenEndpointAuthMethod: string;
  secretHash: string | null;
}

/** RFC 7591: stores a client; the secret (confidential clients only) is returned once and kept as a hash. */
export async function registerOAuthClient(
  db: Database,
  input: { name: string; redirectUris: string[]; tokenEndpointAuthMethod: string },
): Promise<{ clientId: string; clientSecret: string | null; createdAt: Date }> {
  const clientId = generateOAuthSecret('opc').secret;
  const secret = input.tokenEndpointAuthMethod === 'none' ? null : generateOAuthSecret('ops');
  const row = await db.prisma.oAuthClient.create({
    data: { clientId, secretHash: secret?.hash ?? null, name: input.name, redirectUris: input.redirectUris, tokenEndpointAuthMethod: input.tokenEndpointAuthMethod },
    select: { createdAt: true },
  });
  return { clientId, clientSecret: secret?.secret ?? null, createdAt: row.createdAt };
}

export async function findOAuthClient(db: Database, clientId: string): Promise<RegisteredClient | null> {
  // `opc_...` ids are short; Client ID Metadata Document ids are URLs (see oauth-client-metadata.ts).
  if (clientId.length > 2_000) return null;
  return db.prisma.oAuthClient.findUnique({
    where: { clientId },
    select: { clientId: true, name: true, redirectUris: true, tokenEndpointAuthMethod: true, secretHash: true },
  });
}

/**
 * Keeps a Client ID Metadata Document client as a row (public, no secret),
 * refreshed on every fetch: the token endpoint and connected apps read
 * clients from the table, whatever way they registered.
 */
export async function saveMetadataClient(db: Database, metadata: { clientId: string; name: string; redirectUris: string[] }): Promise<RegisteredClient> {
  const fields = { name: metadata.name, redirectUris: metadata.redirectUris };
  await db.prisma.oAuthClient.upsert({
    where: { clientId: metadata.clientId },
    create: { clientId: metadata.clientId, secretHash: null, tokenEndpointAuthMethod: 'none', ...fields },
    update: fields,
  });
  return { clientId: metadata.clientId, secretHash: null, tokenEndpointAuthMethod: 'none', ...fields };
}

export interface ApprovedAuthorization {
  clientId: string;
  userId: string;
  workspaceId: string;
  scopes: string[];
  redirectUri: string;
  codeChallenge: string;
  resource: string;
}

/** Stores what the person approved under a fresh one-time code. */
export async function createAuthorizationCode(db: Database, approved: ApprovedAuthorization, now: Date): Promise<string> {
  const code = generateOAuthSecret('opz');
  await db.prisma.oAuthAuthorizationCode.create({
    data: { ...approved, codeHash: code.hash, expiresAt: new Date(now.getTime() + oauthLifetimes.authorizationCodeMs) },
  });
  return code.secret;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  scopes: string[];
}

type Transaction = Parameters<Parameters<Database['prisma']['$transaction']>[0]>[0];

async function insertTokenPair(client: Transaction, grantId: string, now: Date): Promise<{ accessToken: string; refreshToken: string }> {
  const access = generateOAuthSecret('opa');
  const refresh = generateOAuthSecret('opr');
  await client.oAuthToken.createMany({
    data: [
      { grantId, kind: 'access', hash: access.hash, expiresAt: new Date(now.getTime() + oauthLifetimes.accessTokenMs) },
      { grantId, kind: 'refresh', hash: refresh.hash, expiresAt: new Date(now.getTime() + oauthLifetimes.refreshTokenMs) },
    ],
  });
  return { accessToken: access.secret, refreshToken: refresh.secret };
}

const expiresInSeconds = Math.round(oauthLifetimes.accessTokenMs / 1000);

export async function revokeOAuthGrant(db: Database, grantId: string, now: Date): Promise<void> {
  await db.prisma.$transaction([
    db.prisma.oAuthGrant.updateMany({ where: { id: grantId, revokedAt: null }, data: { revokedAt: now } }),
    db.prisma.oAuthToken.updateMany({ where: { grantId, revokedAt: null }, data: { revokedAt: now } }),
  ]);
}

/**
 * Authorization code grant: the code must be this client's, unexpired, for
 * this redirect URI and resource, and the PKCE verifier must match. A code is
 * consumed once (compare-and-set on `usedAt`); presented again, the grant it
 * produced is revoked (OAuth 2.1 4.1.3).
 */
export async function exchangeAuthorizationCode(
  db: Database,
  request: { code: string; clientId: string; redirectUri: string | null; codeVerifier: string; resource: string | null; now: Date },
): Promise<IssuedTokens> {
  const { now } = request;
  const row = await db.prisma.oAuthAuthorizationCode.findUnique({ where: { codeHash: hashSecret(request.code) } });
  const invalid = (message: string) => new OAuthProtocolError('invalid_grant', message);
  if (!row || row.clientId !== request.clientId) throw invalid('The authorization code is unknown.');
  if (row.usedAt) {
    if (row.grantId) await revokeOAuthGrant(db, row.grantId, now);
    throw invalid('The authorization code was already used; the tokens issued for it are revoked.');
  }
  if (row.expiresAt.getTime() <= now.getTime()) throw invalid('The authorization code has expired.');
  if (request.redirectUri !== row.redirectUri) throw invalid('redirect_uri does not match the authorization request.');
  if (request.resource !== null && request.resource !== row.resource) throw new OAuthProtocolError('invalid_target', 'resource does not match the authorization request.');
  if (!verifyPkce(request.codeVerifier, row.codeChallenge)) throw invalid('The PKCE code_verifier does not match the code_challenge.');
  return db.prisma.$transaction(async (client) => {
    const claimed = await client.oAuthAuthorizationCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (claimed.count !== 1) throw invalid('The authorization code was already used.');
    const grant = await client.oAuthGrant.create({
      data: { clientId: row.clientId, userId: row.userId, workspaceId: row.workspaceId, scopes: row.scopes, resource: row.resource },
      select: { id: true },
    });
    await client.oAuthAuthorizationCode.update({ where: { id: row.id }, data: { grantId: grant.id } });
    return { ...(await insertTokenPair(client, grant.id, now)), expiresInSeconds, scopes: row.scopes };
  });
}

/**
 * Refresh token grant with rotation: each refresh token works once and
 * yields a new pair; a used one presented again revokes the whole grant
 * (OAuth 2.1 4.3.1, refresh token replay by a public client).
 */
export async function refreshOAuthTokens(
  db: Database,
  request: { refreshToken: string; clientId: string; scopes: string[] | null; resource: string | null; now: Date },
): Promise<IssuedTokens> {
  const { now } = request;
  const invalid = (message: string) => new OAuthProtocolError('invalid_grant', message);
  const token = await db.prisma.oAuthToken.findUnique({ where: { hash: hashSecret(request.refreshToken) }, include: { grant: true } });
  if (!token || token.kind !== 'refresh' || token.grant.clientId !== request.clientId) throw invalid('The refresh token is unknown.');
  if (token.usedAt && !token.revokedAt) {
    await revokeOAuthGrant(db, token.grantId, now);
    throw invalid('The refresh token was already used; the grant is revoked.');
  }
  if (token.revokedAt || token.grant.revokedAt) throw invalid('The refresh token is revoked.');
  if (token.expiresAt.getTime() <= now.getTime()) throw invalid('The refresh token has expired.');
  if (request.resource !== null && request.resource !== token.grant.resource) throw new OAuthProtocolError('invalid_target', 'resource does not match the grant.');
  if (request.scopes && request.scopes.some((scope) => !token.grant.scopes.includes(scope))) {
    throw new OAuthProtocolError('invalid_scope', 'A refreshed token cannot have scopes the person did not grant.');
  }
  return db.prisma.$transaction(async (client) => {
    const claimed = await client.oAuthToken.updateMany({ where: { id: token.id, usedAt: null, revokedAt: null }, data: { usedAt: now } });
    if (claimed.count !== 1) throw invalid('The refresh token was already used.');
    return { ...(await insertTokenPair(client, token.grantId, now)), expiresInSeconds, scopes: token.grant.scopes };
  });
}

/** RFC 7009: revoking either token of a grant ends the grant (access and refresh tokens alike). Unknown tokens are ignored. */
export async function revokeOAuthToken(db: Database, request: { token: string; clientId: string; now: Date }): Promise<void> {
  const token = await db.prisma.oAuthToken.findUnique({ where: { hash: hashSecret(request.token) }, select: { grantId: true, grant: { select: { clientId: true } } } });
  if (!token) return;
  if (token.grant.clientId !== request.clientId) throw new OAuthProtocolError('unauthorized_client', 'The token was not issued to this client.');
  await revokeOAuthGrant(db, token.grantId, request.now);
}

export interface ActiveGrant {
  grantId: string;
  clientId: string;
  userId: string;
  workspaceId: string;
  scopes: string[];
  resource: string;
  lastUsedAt: Date | null;
}

/** The grant behind a live access token: unknown, expired or revoked tokens (or grants) give null. */
export async function findActiveGrantByAccessToken(db: Database, accessToken: string, now: Date): Promise<ActiveGrant | null> {
  const token = await db.prisma.oAuthToken.findUnique({ where: { hash: hashSecret(accessToken) }, include: { grant: true } });
  if (!token || token.kind !== 'access' || token.revokedAt || token.grant.revokedAt) return null;
  if (token.expiresAt.getTime() <= now.getTime()) return null;
  const { grant } = token;
  return { grantId: grant.id, clientId: grant.clientId, userId: grant.userId, workspaceId: grant.workspaceId, scopes: grant.scopes, resource: grant.resource, lastUsedAt: grant.lastUsedAt };
}
