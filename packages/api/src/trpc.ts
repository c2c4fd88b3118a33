import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError } from 'zod';
import { isAppError } from '@opspilot/core/errors';
import type { Context } from './context';
import { describeInvalidInput, toTrpcError } from './errors';

/**
 * The one tRPC instance. SSE pings keep subscriptions alive through proxies
 * that close idle streams after about 60 s.
 */
const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    sse: {
      ping: { enabled: true, intervalMs: 15_000 },
      client: { reconnectAfterInactivityMs: 40_000 },
    },
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const issues =
        cause instanceof ZodError
          ? cause.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
          : isAppError(cause)
            ? cause.issues
            : [];
      // zod's own message is its issues as JSON: people get a sentence naming each field instead (the issues stay in data).
      const message = cause instanceof ZodError ? describeInvalidInput(issues) : shape.message;
      return { ...shape, message, data: { ...shape.data, issues, stack: undefined } };
    },
  });

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;

/** Turns every AppError thrown by core into the matching tRPC error, in one place. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && !(result.error.cause instanceof TRPCError) && isAppError(result.error.cause)) {
    throw toTrpcError(result.error.cause);
  }
  return result;
});

export const baseProcedure = t.procedure.use(mapErrors);
