import { AppError } from '../errors';

/** Longest status text ChatGPT shows while a tool runs or after it ran. */
export const maximumStatusTextLength = 64;

export interface StatusTexts {
  /** Shown while the tool runs, e.g. "Building the dashboard…". */
  invoking: string;
  /** Shown after it ran, e.g. "Dashboard ready". */
  invoked: string;
}

function checkStatusTexts(texts: StatusTexts): void {
  for (const [key, text] of [['invoking', texts.invoking], ['invoked', texts.invoked]] as const) {
    if (text.length === 0 || text.length > maximumStatusTextLength) {
      throw new AppError('BAD_REQUEST', `Tool status text "${key}" must be 1-${maximumStatusTextLength} characters, got ${text.length}`);
    }
  }
}

/**
 * `_meta` of a tool that renders the widget, in both dialects from one URI:
 * MCP Apps `ui.resourceUri` and the Apps SDK `openai/outputTemplate` must
 * name the same resource (a mismatch silently drops the widget), and the
 * widget may call the tool again (`openai/widgetAccessible`, `ui.visibility`
 * including `app`).
 */
export function buildUiToolMeta(widgetUri: string, texts: StatusTexts): Record<string, unknown> {
  checkStatusTexts(texts);
  return {
    ui: { resourceUri: widgetUri, visibility: ['model', 'app'] },
    'openai/outputTemplate': widgetUri,
    'openai/widgetAccessible': true,
    'openai/toolInvocation/invoking': texts.invoking,
    'openai/toolInvocation/invoked': texts.invoked,
  };
}

/** `_meta` of a widget-only helper tool: callable from the widget, hidden from the model. */
export function buildPrivateToolMeta(texts: StatusTexts): Record<string, unknown> {
  checkStatusTexts(texts);
  return {
    ui: { visibility: ['app'] },
    'openai/visibility': 'private',
    'openai/widgetAccessible': true,
    'openai/toolInvocation/invoking': texts.invoking,
    'openai/toolInvocation/invoked': texts.invoked,
  };
}

/** `_meta` of a plain model-facing tool (no widget), with its status texts. */
export function buildModelToolMeta(texts: StatusTexts): Record<string, unknown> {
  checkStatusTexts(texts);
  return { 'openai/toolInvocation/invoking': texts.invoking, 'openai/toolInvocation/invoked': texts.invoked };
}
