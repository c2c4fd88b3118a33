/** What the widget persists through the host (Apps SDK widgetState; MCP Apps model context). */
export interface WidgetState {
  context: string;
  refreshes: number;
}

export type Theme = 'light' | 'dark';
export type DisplayMode = 'inline' | 'pip' | 'fullscreen';

/** The part of a CallToolResult the widget reads. */
export interface ToolResultLike {
  structuredContent?: unknown;
  _meta?: Record<string, unknown>;
  isError?: boolean;
  content?: { type: string; text?: string }[];
}

/** Everything the widget renders from, whichever host it runs in. */
export interface HostSnapshot {
  host: 'openai' | 'mcp-apps' | 'none';
  theme: Theme;
  displayMode: DisplayMode;
  maxHeight: number | null;
  toolOutput: unknown;
  toolResponseMetadata: Record<string, unknown> | null;
  widgetState: WidgetState | null;
}

export interface HostBridge {
  snapshot(): HostSnapshot;
  subscribe(listener: () => void): () => void;
  callTool(name: string, args: Record<string, unknown>): Promise<ToolResultLike>;
  setWidgetState(state: WidgetState): void;
  requestDisplayMode(mode: DisplayMode): void;
}

/** The Apps SDK runtime ChatGPT injects as `window.openai` (the parts we use). */
export interface OpenAiRuntime {
  theme?: Theme;
  displayMode?: DisplayMode;
  maxHeight?: number;
  toolOutput?: unknown;
  toolResponseMetadata?: Record<string, unknown> | null;
  widgetState?: unknown;
  callTool(name: string, args: Record<string, unknown>): Promise<ToolResultLike>;
  setWidgetState(state: unknown): Promise<void> | void;
  requestDisplayMode?(options: { mode: DisplayMode }): Promise<unknown> | void;
}

declare global {
  interface Window {
    openai?: OpenAiRuntime;
  }
}
