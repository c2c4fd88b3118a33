/** A minimal MCP client over HTTP (JSON-RPC POST; the endpoint is stateless and answers JSON), for the e2e host harness. */
export interface ToolResult {
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
  isError?: boolean;
}

export interface McpHttp {
  request<T>(method: string, params: Record<string, unknown>): Promise<T>;
  callTool(name: string, args: Record<string, unknown>): Promise<ToolResult>;
}

export function createMcpHttp(baseUrl: string, apiKey: string): McpHttp {
  let nextId = 1;
  const request = async <T>(method: string, params: Record<string, unknown>): Promise<T> => {
    const response = await fetch(`${baseUrl}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
    });
    if (!response.ok) throw new Error(`POST /mcp ${method} answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };
  return { request, callTool: (name, args) => request<ToolResult>('tools/call', { name, arguments: args }) };
}

/** The widget resource as a host reads it: the tool's template URI, then resources/read. */
export async function readWidget(mcp: McpHttp): Promise<{ uri: string; contents: { uri: string; mimeType: string; text: string; _meta?: Record<string, unknown> }[] }> {
  const { tools } = await mcp.request<{ tools: { name: string; _meta?: Record<string, unknown> }[] }>('tools/list', {});
  const uri = tools.find((tool) => tool.name === 'show_dashboard')?._meta?.['openai/outputTemplate'] as string;
  const { contents } = await mcp.request<{ contents: { uri: string; mimeType: string; text: string; _meta?: Record<string, unknown> }[] }>('resources/read', { uri });
  return { uri, contents };
}
