import { serveIngestWebhook } from '@opspilot/api/webhooks';

export const dynamic = 'force-dynamic';

/** Standard Webhooks deliveries from any other source for one workspace. */
export async function POST(request: Request, context: { params: Promise<{ workspaceId: string }> }): Promise<Response> {
  const { workspaceId } = await context.params;
  return serveIngestWebhook(request, workspaceId);
}
