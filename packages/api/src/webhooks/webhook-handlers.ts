import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { AppError, isAppError } from '@opspilot/core/errors';
import { applyStripeEvent, ingestWebhookEvent, verifyStandardWebhook, verifyStripeSignature } from '@opspilot/core/signals';
import { findWebhookSecrets } from '@opspilot/db';
import { toTrpcError } from '../errors';
import { readBoundedRequest } from '../rate-limit/http-limits';
import { signalsDepsOf } from '../routers/signals-support';
import type { Runtime } from '../runtime';

/** A webhook carries one event; anything larger is refused before it is read whole. */
export const maximumWebhookBytes = 256 * 1024;

/** Integration provider whose `config.webhookSecret` signs Standard Webhooks; the integration's name is the event source. */
export const standardWebhookProvider = 'webhook';

function errorResponse(error: unknown, runtime: Runtime): Response {
  if (!isAppError(error)) {
    runtime.logger.error('Webhook handler failed', { error: error instanceof Error ? error.message : String(error) });
    return Response.json({ code: 'INTERNAL', message: 'The webhook could not be processed; retry later.' }, { status: 500 });
  }
  const status = getHTTPStatusCodeFromError(toTrpcError(error));
  return Response.json({ code: error.code, message: error.message, issues: error.issues }, { status });
}

async function readRawBody(request: Request): Promise<Buffer | Response> {
  const bounded = await readBoundedRequest(request, maximumWebhookBytes);
  if (bounded instanceof Response) return bounded;
  return Buffer.from(await bounded.arrayBuffer());
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('BAD_REQUEST', 'The webhook body is not valid JSON');
  }
}

/** Tries each configured secret (rolling secrets); returns the one that verified, or rethrows the first refusal. */
function verifyWithAny<T extends { secret: string }>(candidates: readonly T[], verify: (secret: string) => void): T {
  let firstError: unknown = null;
  for (const candidate of candidates) {
    try {
      verify(candidate.secret);
      return candidate;
    } catch (error) {
      firstError ??= error;
    }
  }
  throw firstError;
}

async function loadSecrets(runtime: Runtime, workspaceId: string, provider: string) {
  const secrets = await findWebhookSecrets(runtime.db, workspaceId, provider);
  // The same answer for "no such workspace" and "not configured": never reveal which workspaces exist.
  if (secrets.length === 0) throw new AppError('NOT_FOUND', `No ${provider} webhook signing secret is configured for workspace ${workspaceId}`);
  return secrets;
}

/**
 * POST /api/webhooks/stripe/:workspaceId. Verifies `Stripe-Signature` over
 * the raw bytes with the workspace's Stripe integration secret (Integration
 * provider "stripe", `config.webhookSecret` until the encrypted integration
 * store serves it), then maps the event into billing facts, deduplicated on
 * the event id in the same transaction. 200 once committed (also for a
 * duplicate); 400 malformed, 401 bad signature or stale, 404 unconfigured,
 * 413 oversized. Nothing is stored on any 4xx.
 */
export async function handleStripeWebhook(request: Request, workspaceId: string, runtime: Runtime): Promise<Response> {
  try {
    const raw = await readRawBody(request);
    if (raw instanceof Response) return raw;
    const secrets = await loadSecrets(runtime, workspaceId, 'stripe');
    const header = request.headers.get('stripe-signature');
    verifyWithAny(secrets, (secret) => verifyStripeSignature({ payload: raw, header, secret, now: runtime.clock.now() }));
    const result = await applyStripeEvent(signalsDepsOf(runtime), workspaceId, parseJson(raw));
    return Response.json({ received: true, ...result });
  } catch (error) {
    return errorResponse(error, runtime);
  }
}

/**
 * POST /api/webhooks/ingest/:workspaceId: any other source, signed the
 * Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature
 * "v1,<base64>", secret "whsec_<base64>", 5 minute tolerance). The body
 * `{type, timestamp?, data?}` is stored as one event whose id is the
 * webhook-id, so redeliveries are duplicates. Same statuses as Stripe's.
 */
export async function handleIngestWebhook(request: Request, workspaceId: string, runtime: Runtime): Promise<Response> {
  try {
    const raw = await readRawBody(request);
    if (raw instanceof Response) return raw;
    const secrets = await loadSecrets(runtime, workspaceId, standardWebhookProvider);
    const headers = { id: request.headers.get('webhook-id'), timestamp: request.headers.get('webhook-timestamp'), signature: request.headers.get('webhook-signature') };
    const source = verifyWithAny(secrets, (secret) => verifyStandardWebhook({ payload: raw, headers, secret, now: runtime.clock.now() }));
    const result = await ingestWebhookEvent(signalsDepsOf(runtime), workspaceId, {
      id: headers.id!,
      timestampSeconds: Number(headers.timestamp),
      source: source.name,
      body: parseJson(raw),
    });
    return Response.json({ received: true, ...result });
  } catch (error) {
    return errorResponse(error, runtime);
  }
}
