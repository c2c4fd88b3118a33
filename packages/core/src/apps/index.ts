/**
 * Apps bridge: OpsPilot as a ChatGPT / MCP Apps app. Tool definitions (zod
 * input and output schemas, honest annotations), the descriptor and resource
 * `_meta` builders that emit the MCP Apps `ui.*` and Apps SDK `openai/*`
 * dialects from one source, the widget resource helpers (content-hashed
 * `ui://widget/...` URI, `<base>` bootstrap) and the chat helper that gives
 * tool-result events the same metadata. The MCP endpoint itself lives in
 * the api package.
 */
export * from './widget-resource';
export * from './tool-meta';
export * from './tool-definitions';
export * from './tool-result-meta';
export * from './widget-data';
