/** Which Host and Origin headers the MCP endpoint accepts (DNS-rebinding protection). */
export interface AllowedHosts {
  hosts: Set<string>;
  origins: Set<string>;
}

const defaultHostNames = ['localhost', '127.0.0.1', '[::1]'];

/**
 * From FRONTEND_BASE_URL, APPS_WIDGET_BASE_URL and the comma-separated
 * OPSPILOT_MCP_ENDPOINT_HOSTS (`host`, `host:port` or full origins), plus
 * loopback names on any port. Hosts are compared without their port for
 * loopback only, so a rebinding attacker's name never matches.
 */
export function readAllowedHosts(env: Record<string, string | undefined>): AllowedHosts {
  const hosts = new Set<string>();
  const origins = new Set<string>();
  const add = (value: string) => {
    const trimmed = value.trim();
    if (!trimmed) return;
    if (/^https?:\/\//i.test(trimmed)) {
      const url = new URL(trimmed);
      hosts.add(url.host.toLowerCase());
      origins.add(url.origin.toLowerCase());
      return;
    }
    hosts.add(trimmed.toLowerCase());
  };
  for (const variable of ['FRONTEND_BASE_URL', 'APPS_WIDGET_BASE_URL']) {
    const value = env[variable];
    if (value) add(value);
  }
  // Not OPSPILOT_MCP_ALLOWED_HOSTS: that is the gateway's outbound SSRF allowlist; one variable for both would
  // let an operator who trusts an internal MCP server also accept requests addressed to that name, and vice versa.
  for (const entry of (env.OPSPILOT_MCP_ENDPOINT_HOSTS ?? '').split(',')) add(entry);
  return { hosts, origins };
}

function hostName(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? host);
}

/** Null when the request may proceed; otherwise the reason to refuse it with 403. */
export function checkRequestHost(headers: Headers, allowed: AllowedHosts): string | null {
  const host = headers.get('host')?.toLowerCase();
  if (!host) return 'Missing Host header';
  const isLoopback = defaultHostNames.includes(hostName(host));
  if (!isLoopback && !allowed.hosts.has(host) && !allowed.hosts.has(hostName(host))) return `Host ${host} is not allowed`;
  const origin = headers.get('origin')?.toLowerCase();
  if (!origin) return null;
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return `Origin ${origin} is not allowed`;
  }
  const originIsLoopback = defaultHostNames.includes(originUrl.hostname);
  if (originIsLoopback || allowed.origins.has(origin) || allowed.hosts.has(originUrl.host)) return null;
  return `Origin ${origin} is not allowed`;
}
