import { handleMcpRequest, sharedWidgetSource } from '@opspilot/api/mcp';
import { clientIp, getRuntime } from '@opspilot/api/server';

export const dynamic = 'force-dynamic';

/** OpsPilot's MCP endpoint (stateless Streamable HTTP; see docs/chatgpt.md). */
async function handler(request: Request): Promise<Response> {
  return handleMcpRequest(request, { runtime: await getRuntime(), widgetSource: sharedWidgetSource, env: process.env, ip: clientIp(request) });
}

export { handler as GET, handler as POST, handler as DELETE };
