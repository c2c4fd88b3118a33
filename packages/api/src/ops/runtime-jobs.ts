import { sweepAbandonedTurns } from '@opspilot/core/agents';
import type { Clock, EventBus, Logger } from '@opspilot/core/ports';
import type { WorkflowEngine } from '@opspilot/core/workflows';
import { createChatRepository, createRunnerLeaseStore, createTurnSweepStore, type Database } from '@opspilot/db';
import { purgeExpiredOAuthState } from '../auth/oauth';
import { processWorkerId } from '../workflows/workflow-runtime';
import { createBackgroundRunner, type BackgroundJobs, type BackgroundRunner, type BackgroundRunnerTimings } from './background-runner';

export interface CreateProcessRunnerInput {
  db: Database;
  eventBus: EventBus;
  workflows: WorkflowEngine;
  clock: Clock;
  logger: Logger;
  /** Which kind of process this is; names the lease holder. */
  processRole: 'web' | 'standalone';
  /** The detection pass over every workspace (the runtime's, which needs the whole runtime). */
  detect: BackgroundJobs['detect'];
  timings?: Partial<BackgroundRunnerTimings>;
}

/** The runtime's background runner: its jobs wired to the database, bus and engine of this process. */
export function createProcessRunner(input: CreateProcessRunnerInput): BackgroundRunner {
  const { db, eventBus, workflows, clock, logger } = input;
  const sweeperDeps = { sweeps: createTurnSweepStore(db), chats: createChatRepository(db), bus: eventBus, clock, logger };
  return createBackgroundRunner({
    leases: createRunnerLeaseStore(db),
    holderId: processWorkerId(input.processRole),
    embedded: db.mode === 'embedded',
    logger,
    ...(input.timings ? { timings: input.timings } : {}),
    jobs: {
      detect: input.detect,
      sweepTurns: () => sweepAbandonedTurns(sweeperDeps),
      maintainWorkflows: async () => {
        await workflows.tickSchedules();
        await workflows.expireApprovals();
      },
      housekeeping: () => purgeExpiredOAuthState(db, { now: clock.now() }),
    },
  });
}
