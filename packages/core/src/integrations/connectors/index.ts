import type { BuiltInConnector, ConnectorName } from './connector';
import { createLinearConnector } from './linear';
import { createNotionConnector } from './notion';
import { createSlackConnector } from './slack';
import { createStripeConnector } from './stripe';
import { createSupabaseConnector } from './supabase';

export { connectorNames, idempotencyKeyMeta, createConnectorServer, defineTool } from './connector';
export type { BuiltInConnector, ConnectorName, ConnectorTool, ToolRunContext, ConnectorBuildOptions } from './connector';

/** The five built-in connectors, keyed by name. */
export function createBuiltInConnectors(clock: () => Date): ReadonlyMap<ConnectorName, BuiltInConnector> {
  const connectors = [
    createStripeConnector(clock),
    createSupabaseConnector(clock),
    createSlackConnector(),
    createNotionConnector(),
    createLinearConnector(),
  ];
  return new Map(connectors.map((connector) => [connector.name, connector]));
}
