import { readHealth } from '@opspilot/api/server';

export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    const health = await readHealth();
    return Response.json(health, { status: health.status === 'ok' ? 200 : 503 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return Response.json({ status: 'error', error: message }, { status: 503 });
  }
}
