import { handleOAuthRequest } from '@opspilot/api/mcp';
import { clientIp, getRuntime } from '@opspilot/api/server';

/** Every OAuth endpoint and metadata document goes through the API package's authorization server (docs/chatgpt.md). */
export async function handleOAuthRoute(request: Request): Promise<Response> {
  return handleOAuthRequest(request, { runtime: await getRuntime(), env: process.env, ip: clientIp(request) });
}
