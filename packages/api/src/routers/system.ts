import { z } from 'zod';
import { publicProcedure } from '../procedures';
import { router } from '../trpc';

export const HealthOutput = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: z.object({ mode: z.enum(['embedded', 'postgres']), ok: z.boolean() }),
  migrations: z.object({ applied: z.number().int(), total: z.number().int() }),
  uptimeSeconds: z.number(),
  /**
   * The background runner (detection, chat-turn sweeper, workflow maintenance): `leader` in the one
   * process per database that runs it, `standby` elsewhere, `off` where it was never started.
   */
  detection: z.object({ role: z.enum(['leader', 'standby', 'off']), lastRunAt: z.string().nullable() }),
});
export type HealthOutput = z.infer<typeof HealthOutput>;

export const systemRouter = router({
  health: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/v1/health', summary: 'Liveness and database status' } })
    .input(z.void())
    .output(HealthOutput)
    .query(async ({ ctx }) => {
      const runtime = ctx.runtime;
      const ok = await runtime.db
        .query('SELECT 1')
        .then(() => true)
        .catch(() => false);
      return {
        status: ok ? 'ok' : 'degraded',
        version: runtime.version,
        database: { mode: runtime.mode, ok },
        migrations: { applied: runtime.migrations.total, total: runtime.migrations.total },
        uptimeSeconds: Math.round((Date.now() - runtime.startedAt.getTime()) / 1000),
        detection: runtime.runner.status(),
      };
    }),
});
