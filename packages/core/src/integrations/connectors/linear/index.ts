import { createConnectorServer, type BuiltInConnector } from '../connector';
import { LinearConfig, LinearCredentials, createLinearLiveBackend } from './live-backend';
import { createLinearSandboxBackend } from './sandbox-backend';
import { linearTools } from './tools';

/** Linear: list issues, create issues. */
export function createLinearConnector(): BuiltInConnector {
  return {
    name: 'linear',
    title: 'Linear',
    credentialsSchema: LinearCredentials,
    configSchema: LinearConfig,
    toolNames: linearTools.map((tool) => tool.name),
    listOutboundUrls: (config) => {
      const parsed = LinearConfig.parse(config);
      return parsed.baseUrl ? [parsed.baseUrl] : [];
    },
    createServer: (options) =>
      createConnectorServer({
        name: 'opspilot-linear',
        version: '1.0.0',
        tools: linearTools,
        backend:
          options.mode === 'live'
            ? createLinearLiveBackend(LinearCredentials.parse(options.credentials), LinearConfig.parse(options.config), options.fetch)
            : createLinearSandboxBackend(options.workspaceId, options.sandbox),
      }),
  };
}
