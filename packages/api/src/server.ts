import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from './router';
import { createContext, type Context } from './context';
import { enforceRateLimit } from './rate-limit/enforce';
import { getRuntime, type Runtime } from './runtime';
import { readBoundedRequest } from './rate-limit';
import { bodyLimitFor } from './rate-limit/limits';

export { getRuntime, createRuntime, type Runtime } from './runtime';
export { resolveSignUpPolicy, type SignUpPolicy } from './auth/sign-up-policy';

/** Serves tRPC over the Fetch API (Next.js route handlers, plain Node servers). */
export async function handleTrpcRequest(request: Request, endpoint = '/api/trpc'): Promise<Response> {
  const runtime = await getRuntime();
  // Refuse oversized bodies before parsing (413), and cap batch sizes.
  const bounded = await readBoundedRequest(request, bodyLimitFor(request, runtime.limits));
  if (bounded instanceof Response) return bounded;
  const responseHeaders = new Headers();
  const response = await fetchRequestHandler({
    endpoint,
    req: bounded,
    router: appRouter,
    maxBatchSize: runtime.limits.maxBatchSize,
    createContext: () =>
      createContext({ runtime, headers: bounded.headers, ip: clientIp(bounded), responseHeaders }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') runtime.logger.error('tRPC handler failed', { path, error: error.message });
    },
  });
  responseHeaders.forEach((value, key) => response.headers.append(key, value));
  return response;
}

/**
 * The context of a server-rendered page: the request's own headers (so the same sign-in and
 * workspace checks apply), counted once against the caller's rate limits for the whole page.
 * Every procedure the page calls in process then shares it. Over the limit, it throws the same
 * TOO_MANY_REQUESTS a fetch would get.
 */
export async function createPageRenderContext(headers: Headers, runtime?: Runtime): Promise<Context> {
  const ctx = await createContext({ runtime: runtime ?? (await getRuntime()), headers });
  await enforceRateLimit(ctx);
  return { ...ctx, rateLimitCharged: true };
}

/** The health document, also served at GET /health. */
export async function readHealth(runtime?: Runtime) {
  const resolved = runtime ?? (await getRuntime());
  const caller = appRouter.createCaller(
    await createContext({ runtime: resolved, headers: new Headers() }),
  );
  return caller.system.health();
}

/**
 * The client address for per-IP limits. Forwarding headers are client-controlled, so they are
 * trusted only behind a proxy that sets them (OPSPILOT_TRUST_PROXY=true).
 */
export function clientIp(request: Request, trustProxy = process.env.OPSPILOT_TRUST_PROXY === 'true'): string {
  if (!trustProxy) return 'unknown';
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || request.headers.get('x-real-ip') || 'unknown';
}

/**
 * On SIGTERM/SIGINT, release the runner role at once so a stand-by takes over
 * within seconds instead of waiting out the lease. The host (Next's server)
 * owns shutdown and exiting: this only joins signals someone already handles,
 * so it never changes whether or when the process exits.
 */
function handOverOnShutdown(runtime: Runtime): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    if (process.listenerCount(signal) === 0) continue;
    process.once(signal, () => {
      runtime.runner.stop().catch((error: unknown) => runtime.logger.warn('Could not hand over the background runner', { error: String(error) }));
    });
  }
}

async function countOpenIncidents(runtime: Runtime): Promise<number> {
  return runtime.db.prisma.incident.count({ where: { status: { not: 'resolved' } } });
}

/**
 * Called once from Next's instrumentation hook. Invalid configuration stops
 * the process with one clear line naming the variable or resource.
 */
export async function startServerRuntime(): Promise<Runtime> {
  try {
    const runtime = await getRuntime();
    // One process per database runs detection, the chat-turn sweeper and workflow maintenance.
    // When this one wins (always, on the embedded database), its first detection pass covers
    // the whole history before this returns, so a new console opens with its incidents; then
    // a short look-back every few minutes keeps anomalies current. Others stand by.
    const role = await runtime.runner.start();
    handOverOnShutdown(runtime);
    runtime.logger.info('OpsPilot is ready', {
      mode: runtime.mode,
      migrationsApplied: runtime.migrations.applied.length,
      backgroundRunner: role,
      ...(role === 'leader' ? { incidentsOpen: await countOpenIncidents(runtime) } : {}),
    });
    return runtime;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`\nOpsPilot could not start: ${message}\n`);
    process.exit(1);
  }
}
