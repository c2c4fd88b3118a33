import type { ToolResult } from './mcp-http';

/**
 * Where the harness serves the widget HTML: another origin than the app, like a host's sandbox domain (Playwright
 * answers it; nothing listens there). A loopback name, because Chromium's private-network rules block a public
 * http origin from loading the app's assets on 127.0.0.1; in production both sides are public https.
 */
export const sandboxOrigin = 'http://localhost:47901';
/** Where the MCP Apps host page lives (a third origin). */
export const hostOrigin = 'http://localhost:47902';

export interface OpenAiGlobals {
  theme: 'light' | 'dark';
  displayMode: 'inline' | 'fullscreen' | 'pip';
  toolOutput: unknown;
  toolResponseMetadata: unknown;
  widgetState: unknown;
}

/**
 * An init script that plays ChatGPT's Apps SDK runtime: `window.openai`
 * with globals, callTool through the test's MCP client (an exposed
 * function), setWidgetState recorded on `window.__harness`.
 */
export function buildOpenAiInitScript(globals: OpenAiGlobals): string {
  return `(() => {
    if (location.origin !== ${JSON.stringify(sandboxOrigin)}) return;
    window.__harness = { calls: [], states: [] };
    window.openai = Object.assign(${JSON.stringify(globals)}, {
      maxHeight: 2000, locale: 'en-US',
      callTool: async (name, args) => { window.__harness.calls.push({ name, args }); return window.__harnessCallTool(name, args); },
      setWidgetState: async (state) => { window.__harness.states.push(state); window.openai.widgetState = state; },
      requestDisplayMode: async ({ mode }) => { window.openai.displayMode = mode; window.dispatchEvent(new CustomEvent('openai:set_globals', { detail: { globals: { displayMode: mode } } })); return { mode }; },
      sendFollowUpMessage: async () => undefined, openExternal: () => undefined, notifyIntrinsicHeight: () => undefined,
    });
  })();`;
}

/**
 * A host page speaking the MCP Apps bridge to the widget iframe: answers
 * ui/initialize with a host context, sends the tool result after
 * ui/notifications/initialized, forwards tools/call to the test's MCP
 * client and records every message on `window.__host`.
 */
export function buildMcpAppsHostPage(widgetUrl: string, toolResult: ToolResult, theme: 'light' | 'dark'): string {
  return `<!doctype html><html><head><title>MCP Apps harness</title></head><body>
<iframe id="widget" src="${widgetUrl}" style="width:1100px;height:1400px;border:0"></iframe>
<script>
  const frame = document.getElementById('widget');
  const toolResult = ${JSON.stringify(toolResult)};
  window.__host = { received: [], modelContext: [], initialized: false };
  const send = (message) => frame.contentWindow.postMessage({ jsonrpc: '2.0', ...message }, '*');
  window.__hostSend = send;
  window.addEventListener('message', async (event) => {
    if (event.source !== frame.contentWindow || event.data?.jsonrpc !== '2.0') return;
    const message = event.data;
    window.__host.received.push(message.method ?? 'response');
    if (message.method === 'ui/initialize') {
      send({ id: message.id, result: { protocolVersion: message.params.protocolVersion, hostInfo: { name: 'harness', version: '1' }, hostCapabilities: { serverTools: {} }, hostContext: { theme: ${JSON.stringify(theme)}, displayMode: 'inline', locale: 'en-US' } } });
    } else if (message.method === 'ui/notifications/initialized') {
      window.__host.initialized = true;
      send({ method: 'ui/notifications/tool-input', params: { arguments: { context: 'main_dashboard' } } });
      send({ method: 'ui/notifications/tool-result', params: toolResult });
    } else if (message.method === 'tools/call') {
      try {
        send({ id: message.id, result: await window.__harnessCallTool(message.params.name, message.params.arguments ?? {}) });
      } catch (error) {
        send({ id: message.id, error: { code: -32000, message: String(error) } });
      }
    } else if (message.method === 'ui/update-model-context') {
      window.__host.modelContext.push(message.params);
      send({ id: message.id, result: {} });
    } else if (message.id !== undefined && message.method) {
      send({ id: message.id, result: {} });
    }
  });
</script></body></html>`;
}
