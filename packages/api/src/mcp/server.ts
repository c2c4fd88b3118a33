import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { TRPCError } from '@trpc/server';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AppError } from '@opspilot/core/errors';
import { buildToolDescriptorMeta, buildWidgetResourceMeta, mcpAppMimeType, skybridgeMimeType, widgetName } from '@opspilot/core/apps';
import { toolHandlers, type ToolContext, type ToolHandler } from './tool-handlers';
import type { WidgetTemplate } from './widget-source';

export const widgetDescription = 'OpsPilot dashboard: KPI tiles, metric charts with expected bands and anomalies, incidents with acknowledge and refresh.';

/** A tool failure as a result the model can read (`isError`), never a protocol error: the caller can fix its input. */
function toErrorResult(error: unknown): CallToolResult {
  const message = error instanceof TRPCError || error instanceof AppError ? error.message : 'The tool failed; try again later.';
  return { isError: true, content: [{ type: 'text', text: message }] };
}

async function callTool(handler: ToolHandler, args: unknown, context: ToolContext): Promise<CallToolResult> {
  try {
    const lanes = await handler.run(args, context);
    return {
      content: [{ type: 'text', text: lanes.text }],
      structuredContent: lanes.structured,
      ...(lanes.meta ? { _meta: lanes.meta } : {}),
    };
  } catch (error) {
    if (!(error instanceof TRPCError) && !(error instanceof AppError)) {
      context.runtime.logger.error('MCP tool failed', { tool: handler.definition.name, error: error instanceof Error ? error.message : String(error) });
    }
    return toErrorResult(error);
  }
}

/**
 * One MCP server for one request (stateless): every OpsPilot tool bound to
 * the key's context, and the widget resource under its content-hashed URI
 * with the HTML in both mime types (MCP Apps first, then Apps SDK).
 */
export function createOpsPilotMcpServer(context: ToolContext, widget: WidgetTemplate, version: string): McpServer {
  const server = new McpServer({ name: 'opspilot', title: 'OpsPilot', version }, { capabilities: { tools: {}, resources: {} } });
  for (const handler of toolHandlers) {
    const { definition } = handler;
    server.registerTool(definition.name, {
      title: definition.title,
      description: definition.description,
      inputSchema: definition.input,
      outputSchema: definition.output,
      annotations: { title: definition.title, ...definition.annotations },
      _meta: buildToolDescriptorMeta(definition, widget.uri),
    }, (args: unknown) => callTool(handler, args, context));
  }
  const resourceMeta = buildWidgetResourceMeta({ baseUrl: widget.baseUrl }, widgetDescription);
  server.registerResource(widgetName, widget.uri, { title: 'OpsPilot dashboard widget', description: widgetDescription, mimeType: mcpAppMimeType, _meta: resourceMeta }, () => ({
    contents: [
      { uri: widget.uri, mimeType: mcpAppMimeType, text: widget.html, _meta: resourceMeta },
      { uri: widget.uri, mimeType: skybridgeMimeType, text: widget.html, _meta: resourceMeta },
    ],
  }));
  return server;
}
