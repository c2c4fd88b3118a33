import { createConnectorServer, type BuiltInConnector } from '../connector';
import { SlackConfig, SlackCredentials, createSlackLiveBackend } from './live-backend';
import { createSlackSandboxBackend } from './sandbox-backend';
import { slackTools } from './tools';

/** Slack: list channels, post messages. */
export function createSlackConnector(): BuiltInConnector {
  return {
    name: 'slack',
    title: 'Slack',
    credentialsSchema: SlackCredentials,
    configSchema: SlackConfig,
    toolNames: slackTools.map((tool) => tool.name),
    listOutboundUrls: (config) => {
      const parsed = SlackConfig.parse(config);
      return parsed.baseUrl ? [parsed.baseUrl] : [];
    },
    createServer: (options) =>
      createConnectorServer({
        name: 'opspilot-slack',
        version: '1.0.0',
        tools: slackTools,
        backend:
          options.mode === 'live'
            ? createSlackLiveBackend(SlackCredentials.parse(options.credentials), SlackConfig.parse(options.config), options.fetch)
            : createSlackSandboxBackend(options.workspaceId, options.sandbox),
      }),
  };
}
