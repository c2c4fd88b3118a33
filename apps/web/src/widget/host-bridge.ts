import type { DisplayMode, HostBridge, HostSnapshot, OpenAiRuntime, Theme, ToolResultLike, WidgetState } from './host-types';

const themeOf = (value: unknown): Theme => (value === 'dark' ? 'dark' : 'light');
const displayModeOf = (value: unknown): DisplayMode => (value === 'fullscreen' || value === 'pip' ? value : 'inline');

function parseWidgetState(value: unknown): WidgetState | null {
  if (!value || typeof value !== 'object') return null;
  const state = value as Partial<WidgetState>;
  return typeof state.context === 'string' ? { context: state.context, refreshes: typeof state.refreshes === 'number' ? state.refreshes : 0 } : null;
}

function createListeners() {
  const listeners = new Set<() => void>();
  return {
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit: () => listeners.forEach((listener) => listener()),
  };
}

/** Apps SDK: globals on `window.openai`, changes announced by `openai:set_globals`. */
function createOpenAiBridge(runtime: OpenAiRuntime): HostBridge {
  const { subscribe, emit } = createListeners();
  let localState: WidgetState | null = null;
  const read = (): HostSnapshot => ({
    host: 'openai', theme: themeOf(runtime.theme), displayMode: displayModeOf(runtime.displayMode), maxHeight: runtime.maxHeight ?? null,
    toolOutput: runtime.toolOutput ?? null, toolResponseMetadata: runtime.toolResponseMetadata ?? null,
    widgetState: localState ?? parseWidgetState(runtime.widgetState),
  });
  let current = read();
  window.addEventListener('openai:set_globals', () => {
    current = read();
    emit();
  });
  return {
    snapshot: () => current,
    subscribe,
    callTool: (name, args) => runtime.callTool(name, args),
    setWidgetState: (state) => {
      localState = state;
      void runtime.setWidgetState(state);
      current = read();
      emit();
    },
    requestDisplayMode: (mode) => void runtime.requestDisplayMode?.({ mode }),
  };
}

interface JsonRpcMessage {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { message?: string };
}

/**
 * MCP Apps: JSON-RPC 2.0 over postMessage with the parent frame. Sends
 * `ui/initialize` (host context: theme, display mode), then
 * `ui/notifications/initialized`; receives tool input/result and
 * host-context changes; calls tools with `tools/call`. Widget state goes to
 * the host as `ui/update-model-context` so the model sees what is shown.
 */
function createMcpAppsBridge(parent: Window): HostBridge {
  const { subscribe, emit } = createListeners();
  const pending = new Map<number | string, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let current: HostSnapshot = { host: 'mcp-apps', theme: 'light', displayMode: 'inline', maxHeight: null, toolOutput: null, toolResponseMetadata: null, widgetState: null };
  const update = (patch: Partial<HostSnapshot>) => {
    current = { ...current, ...patch };
    emit();
  };
  const applyContext = (context: Record<string, unknown> | undefined) => {
    if (!context) return;
    update({
      ...(context.theme ? { theme: themeOf(context.theme) } : {}),
      ...(context.displayMode ? { displayMode: displayModeOf(context.displayMode) } : {}),
    });
  };
  const post = (message: Omit<JsonRpcMessage, 'jsonrpc'>) => parent.postMessage({ jsonrpc: '2.0', ...message }, '*');
  const request = (method: string, params: Record<string, unknown>) => new Promise<unknown>((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    post({ id, method, params });
  });
  window.addEventListener('message', (event: MessageEvent<JsonRpcMessage>) => {
    if (event.source !== parent || event.data?.jsonrpc !== '2.0') return;
    const message = event.data;
    if (message.id !== undefined && !message.method) {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message ?? 'Host error'));
      else waiter?.resolve(message.result);
      return;
    }
    if (message.method === 'ui/notifications/tool-result') {
      const result = (message.params ?? {}) as ToolResultLike;
      update({ toolOutput: result.structuredContent ?? null, toolResponseMetadata: result._meta ?? null });
    } else if (message.method === 'ui/notifications/host-context-changed') {
      applyContext(message.params);
    } else if (message.id !== undefined && message.method) {
      // Requests we do not implement (e.g. ui/resource-teardown) still get an answer so the host does not wait.
      post({ id: message.id, result: {} });
    }
  });
  void request('ui/initialize', { protocolVersion: '2026-01-26', appInfo: { name: 'opspilot-dashboard', version: '1.0.0' }, appCapabilities: {} })
    .then((result) => {
      applyContext((result as { hostContext?: Record<string, unknown> } | undefined)?.hostContext);
      post({ method: 'ui/notifications/initialized', params: {} });
    })
    .catch(() => undefined);
  return {
    snapshot: () => current,
    subscribe,
    callTool: async (name, args) => (await request('tools/call', { name, arguments: args })) as ToolResultLike,
    setWidgetState: (state) => {
      update({ widgetState: state });
      void request('ui/update-model-context', { structuredContent: { widgetState: state } }).catch(() => undefined);
    },
    requestDisplayMode: (mode) => void request('ui/request-display-mode', { mode }).catch(() => undefined),
  };
}

function createStandaloneBridge(): HostBridge {
  const snapshot: HostSnapshot = { host: 'none', theme: 'light', displayMode: 'inline', maxHeight: null, toolOutput: null, toolResponseMetadata: null, widgetState: null };
  return {
    snapshot: () => snapshot,
    subscribe: () => () => undefined,
    callTool: () => Promise.reject(new Error('No host: open this widget from ChatGPT or an MCP Apps host.')),
    setWidgetState: () => undefined,
    requestDisplayMode: () => undefined,
  };
}

let bridge: HostBridge | null = null;

/**
 * The one bridge of this page, created on first use and kept for the page's
 * life: re-mounts must not register a second message listener or send a
 * second `ui/initialize` (why the widget also runs without StrictMode).
 * `window.openai` wins when present; ChatGPT also speaks MCP Apps, but its
 * globals already hold the first tool result, which the notification may miss.
 */
export function getHostBridge(): HostBridge {
  if (bridge) return bridge;
  if (window.openai) bridge = createOpenAiBridge(window.openai);
  else if (window.parent !== window) bridge = createMcpAppsBridge(window.parent);
  else bridge = createStandaloneBridge();
  return bridge;
}
