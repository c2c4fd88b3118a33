/** The error codes of RFC 6749 5.2 / 4.1.2.1, RFC 7591 3.2.2 and RFC 8707 that this server answers with. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'login_required'
  | 'temporarily_unavailable';

/** A refusal the client can act on; the endpoints turn it into the protocol's JSON error or error redirect. */
export class OAuthProtocolError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    message: string,
    readonly status = code === 'invalid_client' ? 401 : code === 'login_required' ? 401 : 400,
  ) {
    super(message);
    this.name = 'OAuthProtocolError';
  }
}

const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** JSON with `Cache-Control: no-store` (RFC 6749 5.1: token responses must not be cached). */
export function oauthJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...noStore, ...headers } });
}

export function oauthErrorResponse(error: OAuthProtocolError): Response {
  const headers: Record<string, string> = error.code === 'invalid_client' ? { 'www-authenticate': 'Basic realm="OpsPilot"' } : {};
  return oauthJson({ error: error.code, error_description: error.message }, error.status, headers);
}
