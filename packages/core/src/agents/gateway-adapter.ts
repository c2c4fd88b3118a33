import type { CallToolRequest, ListToolsResult, ToolCallResult } from '../integrations';
import type { ToolGatewayPort } from './ports';

/** The parts of the MCP gateway agents use. */
export interface GatewayLike {
  listTools(workspaceId: string): Promise<ListToolsResult>;
  callTool(request: CallToolRequest): Promise<ToolCallResult>;
}

/**
 * Agents' view of the MCP gateway. A tool runs without approval only when it
 * declares readOnlyHint and not destructiveHint; anything unannotated is
 * treated as able to change the world.
 */
export function createGatewayToolPort(gateway: GatewayLike): ToolGatewayPort {
  return {
    async listTools(workspaceId) {
      const { tools } = await gateway.listTools(workspaceId);
      return tools.map((tool) => ({
        name: tool.name,
        description: tool.description ?? tool.title ?? tool.name,
        inputSchema: tool.inputSchema,
        readOnly: tool.annotations.readOnlyHint === true && tool.annotations.destructiveHint !== true,
      }));
    },
    async callTool(input) {
      const result = await gateway.callTool({
        workspaceId: input.workspaceId,
        tool: input.tool,
        args: input.args,
        actor: { type: 'agent', id: input.agent, sessionId: input.sessionId },
        ...(input.signal ? { signal: input.signal } : {}),
      });
      return { isError: result.isError, data: result.structuredContent ?? { text: result.text } };
    },
  };
}
