import { createConnectorServer, type BuiltInConnector } from '../connector';
import { SupabaseConfig, SupabaseCredentials, createSupabaseLiveBackend } from './live-backend';
import { createSupabaseSandboxBackend } from './sandbox-backend';
import { createSupabaseTools } from './tools';

/** Supabase: read-only allowlisted table queries and recent sign-ups. */
export function createSupabaseConnector(clock: () => Date): BuiltInConnector {
  const tools = createSupabaseTools(clock);
  return {
    name: 'supabase',
    title: 'Supabase',
    credentialsSchema: SupabaseCredentials,
    configSchema: SupabaseConfig,
    toolNames: tools.map((tool) => tool.name),
    listOutboundUrls: (config) => {
      const parsed = SupabaseConfig.safeParse(config);
      return parsed.success ? [parsed.data.url] : [];
    },
    createServer: (options) =>
      createConnectorServer({
        name: 'opspilot-supabase',
        version: '1.0.0',
        tools,
        backend:
          options.mode === 'live'
            ? createSupabaseLiveBackend(SupabaseCredentials.parse(options.credentials), SupabaseConfig.parse(options.config), options.fetch)
            : createSupabaseSandboxBackend(options.workspaceId, options.sandbox),
      }),
  };
}
