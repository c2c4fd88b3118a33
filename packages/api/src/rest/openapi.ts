import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { appRouter } from '../router';
import { version } from '../runtime';

/** REST paths in procedure metadata start with `/v1`; the handler is mounted under `/api`. */
export const restEndpoint = '/api';

/**
 * The OpenAPI 3 document of every procedure that has `openapi` metadata, so
 * the REST API and its description come from the same zod schemas as tRPC.
 */
export function createOpenApiDocument(origin: string): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: 'OpsPilot API',
    description:
      'The public REST API of OpsPilot, generated from the same procedures as the tRPC API. ' +
      'Authenticate with `Authorization: Bearer <workspace API key>`.',
    version,
    baseUrl: `${origin.replace(/\/$/, '')}${restEndpoint}`,
    securitySchemes: {
      Authorization: { type: 'http', scheme: 'bearer', description: 'A workspace API key (opk_...).' },
    },
  });
  document.paths = { ...document.paths, ...chatStreamPath };
  return document;
}

/**
 * The chat stream is a plain route handler (Server-Sent Events), not a tRPC
 * procedure, so the generator cannot see it; it is described here by hand.
 */
const chatStreamPath = {
  '/v1/chat/{sessionId}/stream': {
    post: {
      operationId: 'chat-stream',
      summary: 'Send a message and stream the turn as Server-Sent Events',
      description:
        'Events: agent-status, plan, text-delta, tool-call, tool-result, ui-patch, approval-request, done, error. ' +
        'Each frame carries `id: <seq>`; reconnect with `Last-Event-ID` to resume without sending the message again.',
      security: [{ Authorization: [] }],
      parameters: [
        { name: 'sessionId', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } },
      ],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['workspaceId'],
              properties: { workspaceId: { type: 'string' }, message: { type: 'string', maxLength: 8000 } },
            },
          },
        },
      },
      responses: {
        '200': { description: 'The event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        '401': { description: 'Missing or invalid credentials' },
        '404': { description: 'No such session in this workspace' },
      },
    },
  },
} satisfies OpenAPIObject['paths'];
