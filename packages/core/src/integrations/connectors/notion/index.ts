import { createConnectorServer, type BuiltInConnector } from '../connector';
import { NotionConfig, NotionCredentials, createNotionLiveBackend } from './live-backend';
import { createNotionSandboxBackend } from './sandbox-backend';
import { notionTools } from './tools';

/** Notion: search, create pages. */
export function createNotionConnector(): BuiltInConnector {
  return {
    name: 'notion',
    title: 'Notion',
    credentialsSchema: NotionCredentials,
    configSchema: NotionConfig,
    toolNames: notionTools.map((tool) => tool.name),
    listOutboundUrls: (config) => {
      const parsed = NotionConfig.parse(config);
      return parsed.baseUrl ? [parsed.baseUrl] : [];
    },
    createServer: (options) =>
      createConnectorServer({
        name: 'opspilot-notion',
        version: '1.0.0',
        tools: notionTools,
        backend:
          options.mode === 'live'
            ? createNotionLiveBackend(NotionCredentials.parse(options.credentials), NotionConfig.parse(options.config), options.fetch)
            : createNotionSandboxBackend(options.workspaceId, options.sandbox),
      }),
  };
}
