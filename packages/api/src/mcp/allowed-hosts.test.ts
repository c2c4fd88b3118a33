import { describe, expect, it } from 'vitest';
import { checkRequestHost, readAllowedHosts } from './allowed-hosts';
import { resolveWidgetBaseUrl } from './handler';

const headers = (values: Record<string, string>) => new Headers(values);

describe('MCP endpoint host and origin check', () => {
  const allowed = readAllowedHosts({ FRONTEND_BASE_URL: 'https://ops.example.com', OPSPILOT_MCP_ENDPOINT_HOSTS: 'mcp.example.com, https://chatgpt.com', OPSPILOT_MCP_ALLOWED_HOSTS: 'intranet.example' });

  it('accepts loopback, the public base URL and configured endpoint hosts', () => {
    for (const host of ['localhost:3000', '127.0.0.1:3123', '[::1]:80', 'ops.example.com', 'mcp.example.com']) expect(checkRequestHost(headers({ host }), allowed), host).toBeNull();
    expect(checkRequestHost(headers({ host: 'ops.example.com', origin: 'https://chatgpt.com' }), allowed)).toBeNull();
    expect(checkRequestHost(headers({ host: 'ops.example.com', origin: 'https://ops.example.com' }), allowed)).toBeNull();
  });

  it('refuses rebinding names, foreign origins and the gateway\'s outbound allowlist', () => {
    expect(checkRequestHost(headers({ host: 'attacker.example' }), allowed)).toMatch(/not allowed/);
    expect(checkRequestHost(headers({ host: 'intranet.example' }), allowed)).toMatch(/not allowed/);
    expect(checkRequestHost(headers({ host: 'localhost.attacker.example' }), allowed)).toMatch(/not allowed/);
    expect(checkRequestHost(headers({ host: 'ops.example.com', origin: 'https://attacker.example' }), allowed)).toMatch(/Origin/);
    expect(checkRequestHost(headers({ host: 'ops.example.com', origin: 'null' }), allowed)).toMatch(/Origin/);
  });
});

describe('widget base URL', () => {
  const request = (host: string, proto?: string) => new Request('http://localhost:3000/mcp', { method: 'POST', headers: { host, ...(proto ? { 'x-forwarded-proto': proto } : {}) } });

  it('prefers APPS_WIDGET_BASE_URL, then FRONTEND_BASE_URL, then the addressed host (not the localhost Next puts in request.url)', () => {
    expect(resolveWidgetBaseUrl(request('127.0.0.1:3123'), { APPS_WIDGET_BASE_URL: 'https://widgets.example.com/', FRONTEND_BASE_URL: 'https://ops.example.com' })).toBe('https://widgets.example.com');
    expect(resolveWidgetBaseUrl(request('127.0.0.1:3123'), { FRONTEND_BASE_URL: 'https://ops.example.com' })).toBe('https://ops.example.com');
    expect(resolveWidgetBaseUrl(request('127.0.0.1:3123'), {})).toBe('http://127.0.0.1:3123');
    expect(resolveWidgetBaseUrl(request('ops.example.com', 'https'), {})).toBe('https://ops.example.com');
  });
});
