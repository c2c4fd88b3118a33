import { serveStripeWebhook } from '@opspilot/api/webhooks';

export const dynamic = 'force-dynamic';

/** Stripe events for one workspace; the raw body is verified against Stripe-Signature before anything is parsed. */
export async function POST(request: Request, context: { params: Promise<{ workspaceId: string }> }): Promise<Response> {
  const { workspaceId } = await context.params;
  return serveStripeWebhook(request, workspaceId);
}
