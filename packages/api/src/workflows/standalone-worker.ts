import { loadDatabaseConfig } from '@opspilot/db';
import type { Logger } from '@opspilot/core/ports';
import { createRuntime, type Runtime } from '../runtime';
import { startRemediationBridge } from './remediation-bridge';
import { createProcessWorker, processWorkerId } from './workflow-runtime';

type Environment = NodeJS.ProcessEnv;

export const workerUsage = `Usage: DATABASE_URL=postgres://... pnpm worker

Runs a standalone workflow worker: claims ready steps from PostgreSQL with
FOR UPDATE SKIP LOCKED leases, shares the work with every other worker and
web process and offers new anomalies to the remediation policies. It also
stands for the background runner (detection, cron runs, approval expiry, the
chat-turn sweeper), which one process per database holds at a time. SIGTERM
or SIGINT stop it gracefully (steps in flight finish first, the runner role
is handed over). OPSPILOT_WORKER_CONCURRENCY sets the steps run at once
(default 4).`;

/** Steps run at once: OPSPILOT_WORKER_CONCURRENCY, 1..64, default 4. */
export function readConcurrency(env: Readonly<Record<string, string | undefined>>): number {
  const value = Number(env.OPSPILOT_WORKER_CONCURRENCY ?? '4');
  return Number.isInteger(value) && value >= 1 && value <= 64 ? value : 4;
}

export interface RunningWorker {
  runtime: Runtime;
  workerId: string;
  stop(): Promise<void>;
}

/**
 * Boots the runtime without its embedded worker and starts one standalone
 * worker. Refuses the embedded database: its PGlite files belong to the web
 * process, which already runs a worker.
 */
export async function startStandaloneWorker(env: Environment, logger: Logger): Promise<RunningWorker> {
  if (loadDatabaseConfig(env).mode !== 'postgres') {
    throw new Error('pnpm worker needs DATABASE_URL (PostgreSQL). The embedded database runs its worker inside the web process (pnpm start).');
  }
  const runtime = await createRuntime({ env, logger, startWorker: false, printDemoCredentials: false, processRole: 'standalone' });
  const workerId = processWorkerId('standalone');
  const worker = createProcessWorker(runtime.workflows, { role: 'standalone', logger, concurrency: readConcurrency(env), workerId });
  const stopBridge = startRemediationBridge({ runtime });
  worker.start();
  // Not awaited: a first detection pass over a large history must not hold up step execution.
  void runtime.runner.start();
  return {
    runtime,
    workerId,
    async stop() {
      await stopBridge();
      await worker.stop();
      await runtime.close();
    },
  };
}
