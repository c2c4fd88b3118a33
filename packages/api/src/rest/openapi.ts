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
  return generateOpenApiDocument(appRouter, {
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
}
