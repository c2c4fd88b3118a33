import { TRPCError } from '@trpc/server';
import { APIError } from 'better-auth/api';
import { z } from 'zod';
import { authedProcedure, publicProcedure } from '../procedures';
import { enforceOne } from '../rate-limit/enforce';
import { router } from '../trpc';
import type { Context } from '../context';

export const SignInInput = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(256),
});
export type SignInInput = z.infer<typeof SignInInput>;

export const SignedInUserOutput = z.object({ id: z.string(), email: z.string(), name: z.string() });

export const MeOutput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), userId: z.string(), email: z.string(), name: z.string() }),
  z.object({
    kind: z.literal('apiKey'),
    apiKeyId: z.string(),
    workspaceId: z.string(),
    scopes: z.array(z.enum(['read', 'write', 'admin'])),
  }),
]);

/** One message for every failed sign-in, so it never tells which part was wrong. */
const invalidCredentials = 'Invalid email or password.';

function forwardCookies(ctx: Context, headers: Headers): void {
  for (const cookie of headers.getSetCookie()) ctx.responseHeaders.append('set-cookie', cookie);
}

export const authRouter = router({
  signIn: publicProcedure
    .input(SignInInput)
    .output(z.object({ user: SignedInUserOutput }))
    .mutation(async ({ ctx, input }) => {
      await enforceOne(ctx, `sign-in:${input.email}`, ctx.runtime.limits.signInPerMinute);
      try {
        const { headers, response } = await ctx.runtime.auth.api.signInEmail({
          body: { email: input.email, password: input.password },
          headers: ctx.headers,
          returnHeaders: true,
        });
        forwardCookies(ctx, headers);
        return { user: { id: response.user.id, email: response.user.email, name: response.user.name } };
      } catch (error) {
        if (error instanceof APIError) throw new TRPCError({ code: 'UNAUTHORIZED', message: invalidCredentials });
        throw error;
      }
    }),
  signOut: publicProcedure
    .input(z.void())
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      // Signing out without a session is not an error: the cookie is cleared either way.
      const result = await ctx.runtime.auth.api
        .signOut({ headers: ctx.headers, returnHeaders: true })
        .catch((error: unknown) => {
          if (error instanceof APIError) return null;
          throw error;
        });
      if (result) forwardCookies(ctx, result.headers);
      return { ok: true as const };
    }),
  me: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/v1/me', summary: 'Who the caller is', tags: ['auth'], protect: true } })
    .input(z.void())
    .output(MeOutput)
    .query(({ ctx }) => {
      const principal = ctx.principal;
      if (principal.kind === 'apiKey') {
        return { kind: 'apiKey' as const, apiKeyId: principal.apiKeyId, workspaceId: principal.workspaceId, scopes: principal.scopes };
      }
      return { kind: 'user' as const, userId: principal.userId, email: principal.email, name: principal.name };
    }),
});
