import type { AppToolDefinition } from './tool-definitions';
import { appToolList } from './tool-definitions';
import { buildModelToolMeta, buildPrivateToolMeta, buildUiToolMeta } from './tool-meta';

/** The descriptor `_meta` of a tool, from its presentation and the current widget URI. */
export function buildToolDescriptorMeta(tool: AppToolDefinition, widgetUri: string): Record<string, unknown> {
  switch (tool.presentation) {
    case 'widget':
      return buildUiToolMeta(widgetUri, tool.texts);
    case 'private':
      return buildPrivateToolMeta(tool.texts);
    case 'model':
      return buildModelToolMeta(tool.texts);
    default: {
      const unknownPresentation: never = tool.presentation;
      throw new Error(`Unknown tool presentation ${String(unknownPresentation)}`);
    }
  }
}

/**
 * What a chat `tool-result` event of an OpsPilot UI tool must carry so a
 * chat client (or a host replaying the conversation) renders the same
 * widget: the same `ui.resourceUri` / `openai/outputTemplate` pair as the
 * MCP descriptor. Accepts bare names (`show_dashboard`) and gateway names
 * (`opspilot__show_dashboard`). Returns null for tools without a widget.
 */
export function describeUiToolResult(toolName: string, widgetUri: string): Record<string, unknown> | null {
  const bare = toolName.includes('__') ? toolName.slice(toolName.lastIndexOf('__') + 2) : toolName;
  const tool = appToolList.find((candidate) => candidate.name === bare);
  if (tool?.presentation !== 'widget') return null;
  return {
    ui: { resourceUri: widgetUri },
    'openai/outputTemplate': widgetUri,
    'openai/widgetAccessible': true,
  };
}
