import { describe, expect, it } from 'vitest';
import { createOpenApiDocument } from './openapi';

/** The REST routes the seed offered (README "Endpoints" and docs/api.md); each must stay in the document. */
const seedRoutes: [method: string, path: string][] = [
  ['get', '/v1/workspaces'],
  ['get', '/v1/workspaces/{workspaceId}/overview'],
  ['get', '/v1/workspaces/{workspaceId}/chat/sessions'],
  ['post', '/v1/workspaces/{workspaceId}/chat/sessions'],
  ['get', '/v1/workspaces/{workspaceId}/chat/sessions/{sessionId}/messages'],
  ['post', '/v1/chat/{sessionId}/stream'],
  ['get', '/v1/workspaces/{workspaceId}/agents'],
  ['get', '/v1/workspaces/{workspaceId}/tools'],
  ['get', '/v1/workspaces/{workspaceId}/signals/metrics'],
  ['get', '/v1/workspaces/{workspaceId}/signals/anomalies'],
  ['get', '/v1/workspaces/{workspaceId}/ui/{context}'],
  ['post', '/v1/workspaces/{workspaceId}/ui/{context}/regenerate'],
  ['get', '/v1/workspaces/{workspaceId}/workflows'],
  ['get', '/v1/workspaces/{workspaceId}/runs'],
  ['get', '/v1/workspaces/{workspaceId}/runs/{runId}'],
  ['post', '/v1/workspaces/{workspaceId}/workflows/{workflowId}/run'],
];

describe('the OpenAPI document', () => {
  const document = createOpenApiDocument('http://localhost:3000');

  it.each(seedRoutes)('lists the seed route %s %s', (method, path) => {
    const item = (document.paths ?? {})[path] as Record<string, unknown> | undefined;
    expect(item?.[method], `${method.toUpperCase()} ${path}`).toBeDefined();
  });

  it('describes the chat stream as Server-Sent Events', () => {
    const operation = (document.paths?.['/v1/chat/{sessionId}/stream'] as { post: { responses: Record<string, { content?: Record<string, unknown> }> } }).post;
    expect(Object.keys(operation.responses['200']?.content ?? {})).toEqual(['text/event-stream']);
  });
});
