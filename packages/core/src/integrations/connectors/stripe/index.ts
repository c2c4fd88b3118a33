import type { BuiltInConnector } from '../connector';
import { createConnectorServer } from '../connector';
import { StripeConfig, StripeCredentials, createStripeLiveBackend } from './live-backend';
import { createStripeSandboxBackend } from './sandbox-backend';
import { stripeTools } from './tools';

/** Stripe: customers, failed invoices, subscriptions, revenue snapshot, refunds. */
export function createStripeConnector(clock: () => Date): BuiltInConnector {
  return {
    name: 'stripe',
    title: 'Stripe',
    credentialsSchema: StripeCredentials,
    configSchema: StripeConfig,
    toolNames: stripeTools.map((tool) => tool.name),
    listOutboundUrls: (config) => {
      const parsed = StripeConfig.parse(config);
      return parsed.baseUrl ? [parsed.baseUrl] : [];
    },
    createServer: (options) =>
      createConnectorServer({
        name: 'opspilot-stripe',
        version: '1.0.0',
        tools: stripeTools,
        backend:
          options.mode === 'live'
            ? createStripeLiveBackend(StripeCredentials.parse(options.credentials), StripeConfig.parse(options.config), clock, options.fetch)
            : createStripeSandboxBackend(options.workspaceId, options.sandbox, clock),
      }),
  };
}
