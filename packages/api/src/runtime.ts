import { systemClock, type Clock, type EventBus, type Logger } from '@opspilot/core/ports';
import {
  applyMigrations,
  createEventBus,
  isDatabaseEmpty,
  loadDatabaseConfig,
  openDatabase,
  seedDemo,
  type Database,
} from '@opspilot/db';
import type { Authenticator } from './context';
import { createAuthServices, type AuthServices } from './auth';
import type { RequestLimits } from './rate-limit';
import type { WorkspaceAccessPort } from './procedures';
import { createConsoleLogger } from './logger';
import { createGateway, installDemoConnectors } from './integrations-runtime';
import type { McpGateway } from '@opspilot/core/integrations';
import type { WorkflowEngine, Worker } from '@opspilot/core/workflows';
import { createProcessWorker, createWorkflowEngine, seedDemoWorkflows, shouldStartWorker } from './workflows/workflow-runtime';
import { startRemediationBridge } from './workflows/remediation-bridge';
import { runSignalsDetection } from './routers/signals-support';
import type { BackgroundRunner, BackgroundRunnerTimings } from './ops/background-runner';
import { createProcessRunner } from './ops/runtime-jobs';

export const version = '0.1.0';

/** Everything a request handler or background worker needs, built once per process. */
export interface Runtime {
  db: Database;
  mode: Database['mode'];
  version: string;
  startedAt: Date;
  migrations: { applied: string[]; total: number };
  authenticator: Authenticator;
  /** better-auth: users, passwords, sessions (mounted at /api/auth). */
  auth: AuthServices['auth'];
  rateLimiter: AuthServices['rateLimiter'];
  limits: RequestLimits;
  /** The demo owner's credentials, only on the boot that created them. */
  demoCredentials: AuthServices['demoCredentials'];
  workspaceAccess: WorkspaceAccessPort;
  eventBus: EventBus;
  /** The MCP gateway: built-in connectors and external MCP servers per workspace. */
  gateway: McpGateway;
  /** The durable workflow engine (runs, approvals, policies) over the database. */
  workflows: WorkflowEngine;
  /** The worker executing workflow steps inside this process, when it runs one. */
  workflowWorker: Worker | null;
  /** Detection, the chat-turn sweeper and workflow maintenance: run by one process per database, once started. */
  runner: BackgroundRunner;
  clock: Clock;
  logger: Logger;
  close(): Promise<void>;
}

export interface CreateRuntimeOptions {
  env?: NodeJS.ProcessEnv;
  /** Seed the demo business into an empty database (default true). */
  seedWhenEmpty?: boolean;
  logger?: Logger;
  clock?: Clock;
  /** Overrides of the request limits (tests raise or lower them). */
  limits?: Partial<RequestLimits>;
  /** Print first-boot demo credentials to stdout (default true). */
  printDemoCredentials?: boolean;
  /**
   * Run a workflow worker in this process. Default: yes when embedded, yes on
   * PostgreSQL unless OPSPILOT_EMBEDDED_WORKER=false, no under NODE_ENV=test.
   */
  startWorker?: boolean;
  /** Names this process in the background runner's lease (default web). */
  processRole?: 'web' | 'standalone';
  /** Background runner timings (tests shorten the lease). */
  runnerTimings?: Partial<BackgroundRunnerTimings>;
}

/** The composition root: opens the database, migrates, seeds, wires core to db. */
export async function createRuntime(options: CreateRuntimeOptions = {}): Promise<Runtime> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createConsoleLogger();
  const clock = options.clock ?? systemClock;
  const config = loadDatabaseConfig(env);
  const db = await openDatabase(config);
  const migrations = await applyMigrations(db);
  if ((options.seedWhenEmpty ?? true) && (await isDatabaseEmpty(db))) {
    const summary = await seedDemo(db, { now: clock.now() });
    logger.info('Seeded the demo workspace', { ...summary });
  }
  const eventBus = createEventBus(db);
  const gateway = createGateway({ db, config, env, clock, logger });
  await installDemoConnectors(db, gateway, logger);
  const workflows = createWorkflowEngine({ db, gateway, eventBus, clock, logger });
  await seedDemoWorkflows(db, workflows, logger);
  const workflowWorker = shouldStartWorker({ option: options.startWorker, env, mode: db.mode }) ? createProcessWorker(workflows, { role: 'web', logger }) : null;
  workflowWorker?.start();
  // New anomalies reach the remediation policies wherever a worker runs.
  const stopRemediationBridge = workflowWorker ? startRemediationBridge({ runtime: { db, eventBus, workflows, logger, clock } }) : null;
  const runner = createProcessRunner({
    db, eventBus, workflows, clock, logger, processRole: options.processRole ?? 'web',
    // Called only once the runner starts, after `runtime` below exists.
    detect: (detection) => runSignalsDetection(runtime, detection),
    ...(options.runnerTimings ? { timings: options.runnerTimings } : {}),
  });
  const authServices = await createAuthServices({
    db,
    env,
    clock,
    logger,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.printDemoCredentials === undefined ? {} : { printDemoCredentials: options.printDemoCredentials }),
  });
  const runtime: Runtime = {
    db,
    mode: db.mode,
    version,
    startedAt: clock.now(),
    migrations,
    ...authServices,
    workspaceAccess: createWorkspaceAccess(db),
    eventBus,
    gateway,
    workflows,
    workflowWorker,
    runner,
    clock,
    logger,
    close: async () => {
      // The runner finishes its jobs in flight and hands its role over first; the bridge's offers and the
      // steps in flight finish before the gateway, the event bus (its LISTEN connection) and the database close under them.
      await runner.stop();
      await stopRemediationBridge?.();
      await workflowWorker?.stop();
      await gateway.close();
      await eventBus.close();
      await db.close();
    },
  };
  return runtime;
}

function createWorkspaceAccess(db: Database): WorkspaceAccessPort {
  return {
    roleOfUser: async (userId, workspaceId) => {
      const membership = await db.prisma.membership.findUnique({
        where: { workspaceId_userId: { workspaceId, userId } },
        select: { role: true },
      });
      return membership?.role ?? null;
    },
  };
}

const globalKey = Symbol.for('opspilot.runtime');
type GlobalWithRuntime = typeof globalThis & { [globalKey]?: Promise<Runtime> };

/** One runtime per process, shared by route handlers, instrumentation and hot reloads. */
export function getRuntime(options?: CreateRuntimeOptions): Promise<Runtime> {
  const holder = globalThis as GlobalWithRuntime;
  holder[globalKey] ??= createRuntime(options).catch((error: unknown) => {
    delete holder[globalKey];
    throw error;
  });
  return holder[globalKey];
}
