import { createOpenApiFetchHandler } from 'trpc-to-openapi';
import { createContext } from '../context';
import { describeInvalidInput } from '../errors';
import { appRouter } from '../router';
import { getRuntime, type Runtime } from '../runtime';
import { clientIp } from '../server';
import { appendResponseHeaders, readBoundedRequest } from '../rate-limit/http-limits';
import { bodyLimitFor } from '../rate-limit/limits';
import { createOpenApiDocument, restEndpoint } from './openapi';


/** Serves `/api/v1/...` from the procedures' `openapi` metadata (Next route handlers, plain servers). */
export async function handleRestRequest(request: Request, runtime?: Runtime): Promise<Response> {
  const resolved = runtime ?? (await getRuntime());
  const bounded = await readBoundedRequest(request, bodyLimitFor(request, resolved.limits));
  if (bounded instanceof Response) return bounded;
  const responseHeaders = new Headers();
  const response = await createOpenApiFetchHandler({
    endpoint: restEndpoint,
    req: bounded,
    router: appRouter,
    createContext: () =>
      createContext({ runtime: resolved, headers: bounded.headers, ip: clientIp(bounded), responseHeaders }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') resolved.logger.error('REST handler failed', { path, error: error.message });
    },
  });
  return appendResponseHeaders(await nameInvalidFields(response), responseHeaders);
}

/**
 * trpc-to-openapi answers every input refusal with the fixed message "Input
 * validation failed"; REST callers get the same sentence naming the fields as
 * tRPC callers do (the issues stay in `data.issues`).
 */
async function nameInvalidFields(response: Response): Promise<Response> {
  if (response.status !== 400 || !response.headers.get('content-type')?.includes('application/json')) return response;
  const body = (await response.clone().json()) as { message?: unknown; data?: { issues?: unknown } };
  const issues = body.data?.issues;
  if (body.message !== 'Input validation failed' || !Array.isArray(issues)) return response;
  const message = describeInvalidInput(issues as { path: string; message: string }[]);
  return new Response(JSON.stringify({ ...body, message }), { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** better-auth's own endpoints (`/api/auth/*`): sign-up, sign-in, sign-out, session. */
export async function handleAuthRequest(request: Request, runtime?: Runtime): Promise<Response> {
  const resolved = runtime ?? (await getRuntime());
  const bounded = await readBoundedRequest(request, resolved.limits.maxBodyBytes);
  if (bounded instanceof Response) return bounded;
  return resolved.auth.handler(bounded);
}

/** Built once per origin: generating the document walks every procedure's schemas. */
const documentsByOrigin = new Map<string, string>();

/** GET /api/openapi.json: the document, with server URLs for the origin it was asked on. */
export function handleOpenApiRequest(request: Request): Response {
  const origin = new URL(request.url).origin;
  let document = documentsByOrigin.get(origin);
  if (!document) {
    document = JSON.stringify(createOpenApiDocument(origin));
    // Host headers are client-chosen: keep the cache from growing without bound.
    if (documentsByOrigin.size < 16) documentsByOrigin.set(origin, document);
  }
  return new Response(document, { headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' } });
}
