/** Webhook endpoints (Stripe and Standard Webhooks) as Fetch handlers for the Next route handlers. */
import { getRuntime } from '../runtime';
import { handleIngestWebhook, handleStripeWebhook } from './webhook-handlers';

export { handleIngestWebhook, handleStripeWebhook, maximumWebhookBytes, standardWebhookProvider } from './webhook-handlers';

/** POST /api/webhooks/stripe/:workspaceId on the process runtime. */
export async function serveStripeWebhook(request: Request, workspaceId: string): Promise<Response> {
  return handleStripeWebhook(request, workspaceId, await getRuntime());
}

/** POST /api/webhooks/ingest/:workspaceId on the process runtime. */
export async function serveIngestWebhook(request: Request, workspaceId: string): Promise<Response> {
  return handleIngestWebhook(request, workspaceId, await getRuntime());
}
