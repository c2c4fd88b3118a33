/** What each built-in connector needs to run live; mirrors the connectors' credential and config schemas in core. */
export interface ProviderFields {
  label: string;
  credentialKey: string;
  credentialLabel: string;
  /** A config field the live backend cannot run without (Supabase's project URL). */
  requiredConfig?: { key: string; label: string; placeholder: string };
}

const providers: Record<string, ProviderFields> = {
  stripe: { label: 'Stripe', credentialKey: 'secretKey', credentialLabel: 'Secret key' },
  supabase: {
    label: 'Supabase',
    credentialKey: 'serviceRoleKey',
    credentialLabel: 'Service role key',
    requiredConfig: { key: 'url', label: 'Project URL', placeholder: 'https://abcd.supabase.co' },
  },
  slack: { label: 'Slack', credentialKey: 'botToken', credentialLabel: 'Bot token' },
  notion: { label: 'Notion', credentialKey: 'token', credentialLabel: 'Integration token' },
  linear: { label: 'Linear', credentialKey: 'apiKey', credentialLabel: 'API key' },
};

/** Fields for a provider; an unknown provider falls back to a generic token field. */
export function fieldsOf(provider: string): ProviderFields {
  return providers[provider] ?? { label: provider, credentialKey: 'token', credentialLabel: 'Token' };
}

/** Admins and owners manage connectors, servers and switches; the API enforces the same rule. */
export function isAdminRole(role: string): boolean {
  return role === 'admin' || role === 'owner';
}
