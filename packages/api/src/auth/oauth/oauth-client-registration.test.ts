import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpHttpServer } from '../../mcp/testing';
import { createStaticWidgetSource } from '../../mcp/widget-source';
import type { Runtime } from '../../runtime';
import { asUser, createTestCaller, createTestRuntime, signUpTestUser, type TestUser } from '../testing';
import { cacheLifetimeMs, clientMetadataLimits } from './oauth-client-metadata';
import { handleOAuthRequest } from './oauth-handler';
import { postMcpToolsList } from './oauth-testing';

/** What the fake client host serves at a path: a status, a body and headers. */
type Served = { status?: number; body: string; headers?: Record<string, string> };

let runtime: Runtime;
let endpoint: { url: string; close(): Promise<void> };
let origin: string;
let owner: TestUser;
let workspaceId: string;
let documentServer: Server;
let documentOrigin: string;
const documents = new Map<string, Served>();
const fetchCounts = new Map<string, number>();
let nowMs = Date.parse('2026-11-20T12:00:00Z');

beforeAll(async () => {
  runtime = await createTestRuntime({ clock: { now: () => new Date(nowMs) } });
  owner = await signUpTestUser(runtime, 'Owner');
  workspaceId = (await (await createTestCaller(runtime, asUser(owner))).workspace.create({ name: 'Native' })).id;
  // A plain-http client host on loopback, let through the SSRF guard by OPSPILOT_OAUTH_CLIENT_METADATA_HOSTS.
  documentServer = createServer((request, response) => {
    const served = documents.get(request.url ?? '');
    fetchCounts.set(request.url ?? '', (fetchCounts.get(request.url ?? '') ?? 0) + 1);
    response.writeHead(served ? (served.status ?? 200) : 404, { 'content-type': 'application/json', ...served?.headers });
    response.end(served?.body ?? '{}');
  });
  await new Promise<void>((resolve) => documentServer.listen(0, '127.0.0.1', resolve));
  documentOrigin = `http://127.0.0.1:${(documentServer.address() as AddressInfo).port}`;
  endpoint = await startMcpHttpServer({
    runtime, widgetSource: createStaticWidgetSource('<!doctype html><html><head></head><body></body></html>'), env: { OPSPILOT_OAUTH_CLIENT_METADATA_HOSTS: '127.0.0.1' },
  });
  origin = new URL(endpoint.url).origin;
}, 240_000);

afterAll(async () => {
  await endpoint?.close();
  await new Promise<void>((resolve) => (documentServer ? documentServer.close(() => resolve()) : resolve()));
  await runtime?.close();
});

/** Serves a metadata document at `path`; `overrides` change or add fields (client_id defaults to the document's URL). */
function publishDocument(path: string, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}): string {
  const clientId = `${documentOrigin}${path}`;
  documents.set(path, { body: JSON.stringify({ client_id: clientId, client_name: 'Desk Agent', redirect_uris: ['http://127.0.0.1/callback'], token_endpoint_auth_method: 'none', ...overrides }), headers });
  return clientId;
}

function authorizeUrl(clientId: string, redirectUri: string, verifier: string): URL {
  const url = new URL(`${origin}/oauth/authorize`);
  const query = {
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, state: 'st', scope: 'read',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', resource: `${origin}/mcp`,
  };
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

/** The browser's and the host's parts: authorize, what the consent page shows, approve, then the code exchange. */
async function runFlow(clientId: string, redirectUri: string) {
  const verifier = randomBytes(32).toString('base64url');
  const authorize = await fetch(authorizeUrl(clientId, redirectUri, verifier), { redirect: 'manual' });
  if (authorize.status !== 302) return { authorize, shown: null, tokenStatus: 0, accessToken: '', redirectTo: '' };
  const consentPage = new URL(authorize.headers.get('location')!);
  const shown = (await (await fetch(`${origin}/oauth/consent/request${consentPage.search}`, { headers: { cookie: owner.cookie } })).json()) as { client: Record<string, unknown> };
  const decision = await fetch(`${origin}/oauth/consent/request`, {
    method: 'POST', headers: { cookie: owner.cookie, origin, 'content-type': 'application/json' },
    body: JSON.stringify({ request: consentPage.search.slice(1), decision: 'approve', workspaceId, scopes: ['read'] }),
  });
  const { redirectTo } = (await decision.json()) as { redirectTo: string };
  const code = new URL(redirectTo).searchParams.get('code') ?? '';
  const token = await fetch(`${origin}/oauth/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: redirectUri, code_verifier: verifier, resource: `${origin}/mcp` }).toString(),
  });
  const tokens = (await token.json()) as { access_token?: string };
  return { authorize, shown, tokenStatus: token.status, accessToken: tokens.access_token ?? '', redirectTo };
}

/** A refusal must be a page (or JSON) here, never a redirect to a URI nobody verified. */
async function expectRefusedPage(clientId: string, redirectUri: string, message: RegExp) {
  const response = await fetch(authorizeUrl(clientId, redirectUri, 'v'.repeat(43)), { redirect: 'manual' });
  expect(response.status).toBe(400);
  expect(response.headers.get('location')).toBeNull();
  expect(response.headers.get('content-type')).toMatch(/text\/html/);
  expect(await response.text()).toMatch(message);
}

const register = (redirectUris: unknown[]) => fetch(`${origin}/oauth/register`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Native app', redirect_uris: redirectUris, token_endpoint_auth_method: 'none' }),
});

describe('OAuth Client ID Metadata Documents', () => {
  it('announces client_id_metadata_document_supported in the authorization server metadata', async () => {
    const metadata = (await (await fetch(`${origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(metadata.client_id_metadata_document_supported).toBe(true);
  });

  it('a valid document: authorize, consent, token and /mcp work with the URL as client_id; the document is fetched once while cached', async () => {
    const clientId = publishDocument('/clients/desk.json', {}, { 'cache-control': 'max-age=600' });
    const flow = await runFlow(clientId, 'http://127.0.0.1:51234/callback');
    expect(flow.shown?.client).toMatchObject({ name: 'Desk Agent', clientIdHost: new URL(documentOrigin).host, redirectTarget: { kind: 'loopback', label: '127.0.0.1:51234' } });
    expect(flow.tokenStatus).toBe(200);
    expect(await postMcpToolsList(endpoint.url, flow.accessToken)).toBe(200);
    expect(fetchCounts.get('/clients/desk.json')).toBe(1);
    expect(await runtime.db.prisma.oAuthClient.findUnique({ where: { clientId }, select: { name: true, secretHash: true, tokenEndpointAuthMethod: true } }))
      .toEqual({ name: 'Desk Agent', secretHash: null, tokenEndpointAuthMethod: 'none' });
    // Past its max-age (600 s), the next authorization fetches the document again and sees the new name.
    publishDocument('/clients/desk.json', { client_name: 'Desk Agent 2' });
    nowMs += 601_000;
    const again = await runFlow(clientId, 'http://127.0.0.1:4000/callback');
    expect(again.shown?.client).toMatchObject({ name: 'Desk Agent 2' });
    expect(fetchCounts.get('/clients/desk.json')).toBe(2);
  });

  it("refuses a document whose client_id is not its URL, or that does not list the redirect URI, with a page and no redirect", async () => {
    const mismatched = publishDocument('/clients/mismatch.json', { client_id: `${documentOrigin}/clients/other.json` });
    await expectRefusedPage(mismatched, 'http://127.0.0.1/callback', /is not the URL it was fetched from/);
    const listed = publishDocument('/clients/listed.json', { redirect_uris: ['https://app.example/callback'] });
    await expectRefusedPage(listed, 'https://attacker.example/callback', /redirect_uri is missing or not one of the URIs/);
    const consent = await fetch(`${origin}/oauth/consent/request?${authorizeUrl(listed, 'https://attacker.example/callback', 'v'.repeat(43)).search.slice(1)}`, { headers: { cookie: owner.cookie } });
    expect(consent.status).toBe(400);
    expect(((await consent.json()) as { redirectTo?: string }).redirectTo).toBeUndefined();
  });

  it('refuses oversized, non-JSON, non-200, secret-bearing and unsafe-redirect documents', async () => {
    documents.set('/clients/big.json', { body: JSON.stringify({ padding: 'x'.repeat(clientMetadataLimits.maxBytes) }) });
    await expectRefusedPage(`${documentOrigin}/clients/big.json`, 'http://127.0.0.1/callback', /larger than 5120 bytes/);
    documents.set('/clients/html.json', { body: '<html>not json</html>' });
    await expectRefusedPage(`${documentOrigin}/clients/html.json`, 'http://127.0.0.1/callback', /is not JSON/);
    await expectRefusedPage(`${documentOrigin}/clients/missing.json`, 'http://127.0.0.1/callback', /answered 404, not 200/);
    const secret = publishDocument('/clients/secret.json', { token_endpoint_auth_method: 'client_secret_basic' });
    await expectRefusedPage(secret, 'http://127.0.0.1/callback', /token_endpoint_auth_method/);
    const unsafe = publishDocument('/clients/unsafe.json', { redirect_uris: ['javascript:alert(1)'] });
    await expectRefusedPage(unsafe, 'javascript:alert(1)', /is not allowed/);
  });

  it('refuses client_id URLs the SSRF guard or the URL rules forbid, before or without fetching', async () => {
    await expectRefusedPage('https://169.254.169.254/latest/meta-data', 'http://127.0.0.1/callback', /private or reserved address/);
    await expectRefusedPage('https://10.1.2.3/client.json', 'http://127.0.0.1/callback', /private or reserved address/);
    await expectRefusedPage('https://localhost/client.json', 'http://127.0.0.1/callback', /not allowed/);
    await expectRefusedPage('http://client.example/metadata.json', 'http://127.0.0.1/callback', /must use https/);
    await expectRefusedPage(`${documentOrigin}/`, 'http://127.0.0.1/callback', /must have a path/);
    await expectRefusedPage(`${documentOrigin}/a/../clients/desk.json`, 'http://127.0.0.1/callback', /\. or \.\. segments/);
  });

  it('limits authorizations with a URL client_id to 30 a minute per client address (each may fetch a document)', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 31; attempt += 1) {
      const request = new Request(authorizeUrl('https://10.9.8.7/client.json', 'http://127.0.0.1/callback', 'v'.repeat(43)), { headers: { host: new URL(origin).host } });
      statuses.push((await handleOAuthRequest(request, { runtime, env: {}, ip: '203.0.113.9' })).status);
    }
    expect(statuses.slice(0, 30).every((status) => status === 400)).toBe(true);
    expect(statuses[30]).toBe(429);
    // Another address has its own count.
    const other = new Request(authorizeUrl('https://10.9.8.7/client.json', 'http://127.0.0.1/callback', 'v'.repeat(43)), { headers: { host: new URL(origin).host } });
    expect((await handleOAuthRequest(other, { runtime, env: {}, ip: '203.0.113.10' })).status).toBe(400);
  });

  it('clamps the cache lifetime to 5 minutes..24 hours around max-age', () => {
    expect(cacheLifetimeMs('max-age=1')).toBe(5 * 60_000);
    expect(cacheLifetimeMs('public, max-age=3600')).toBe(3_600_000);
    expect(cacheLifetimeMs('max-age=9999999')).toBe(24 * 3_600_000);
    expect(cacheLifetimeMs('no-store')).toBe(5 * 60_000);
    expect(cacheLifetimeMs(null)).toBe(60 * 60_000);
  });
});

describe('native and desktop clients (RFC 8252)', () => {
  it('a loopback redirect URI matches on any port for 127.0.0.1 and [::1], but not another path, and localhost only exactly', async () => {
    const response = await register(['http://127.0.0.1/callback', 'http://[::1]/callback', 'http://localhost:7777/callback']);
    expect(response.status).toBe(201);
    const { client_id: clientId } = (await response.json()) as { client_id: string };
    for (const redirectUri of ['http://127.0.0.1:53682/callback', 'http://[::1]:41000/callback', 'http://localhost:7777/callback']) {
      const flow = await runFlow(clientId, redirectUri);
      expect(flow.tokenStatus, redirectUri).toBe(200);
      expect(new URL(flow.redirectTo).origin).toBe(new URL(redirectUri).origin);
    }
    await expectRefusedPage(clientId, 'http://127.0.0.1:53682/other', /not one of the URIs/);
    await expectRefusedPage(clientId, 'http://localhost:7778/callback', /not one of the URIs/);
    await expectRefusedPage(clientId, 'http://127.0.0.2:53682/callback', /not one of the URIs/);
  });

  it('registers private-use scheme redirects (cursor://, reverse-domain) and names the scheme on the consent page', async () => {
    const response = await register(['cursor://anysphere.cursor-retrieval/oauth/callback', 'com.example.desktop:/oauth2redirect']);
    expect(response.status).toBe(201);
    const { client_id: clientId, client_name: name } = (await response.json()) as { client_id: string; client_name: string };
    expect(name).toBe('Native app');
    const cursor = await runFlow(clientId, 'cursor://anysphere.cursor-retrieval/oauth/callback');
    expect(cursor.shown?.client).toMatchObject({ redirectTarget: { kind: 'app', label: 'cursor:', scheme: 'cursor' }, clientIdHost: null });
    expect(cursor.redirectTo).toMatch(/^cursor:\/\/anysphere\.cursor-retrieval\/oauth\/callback\?code=opz_/);
    expect(cursor.tokenStatus).toBe(200);
    const reverseDomain = await runFlow(clientId, 'com.example.desktop:/oauth2redirect');
    expect(reverseDomain.shown?.client).toMatchObject({ redirectTarget: { kind: 'app', label: 'com.example.desktop:' } });
    expect(reverseDomain.tokenStatus).toBe(200);
  });

  it('refuses javascript:, data:, file: and other browser or system schemes at registration', async () => {
    for (const uri of ['javascript:alert(1)', 'JavaScript://x/%0aalert(1)', 'data:text/html,<script>1</script>', 'file:///etc/passwd', 'vbscript:x', 'blob:https://a.example/x', 'mailto:a@b.example', 'cursor:', 'cursor://x/cb#frag', 'http://192.168.1.10/cb']) {
      const refused = await register([uri]);
      expect(refused.status, uri).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toBe('invalid_redirect_uri');
    }
  });
});
