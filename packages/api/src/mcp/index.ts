export { handleMcpRequest, resolveWidgetBaseUrl, type McpHandlerOptions } from './handler';
export { createFetchedWidgetSource, createStaticWidgetSource, describeChatToolResult, sharedWidgetSource, type WidgetSource, type WidgetTemplate } from './widget-source';
export { readAllowedHosts, checkRequestHost, type AllowedHosts } from './allowed-hosts';
export { toolHandlers } from './tool-handlers';
export { handleOAuthRequest, type OAuthHandlerOptions } from '../auth/oauth';
