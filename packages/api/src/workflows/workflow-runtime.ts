import { randomUUID } from 'node:crypto';
import { isAppError } from '@opspilot/core/errors';
import type { McpGateway } from '@opspilot/core/integrations';
import { createGatewayActionInvoker } from '@opspilot/core/integrations';
import type { Clock, EventBus, IdGenerator, Logger } from '@opspilot/core/ports';
import {
  WorkflowEngine, Worker, createCompositeActionInvoker, createInternalActionInvoker, demoWorkflows, type PolicyRecord,
} from '@opspilot/core/workflows';
import { createActionEffectStore, createWorkflowStore, type Database } from '@opspilot/db';

type Environment = Readonly<Record<string, string | undefined>>;

/** Ids of workflow rows: prefixed and unique across every process sharing the database. */
export const workflowIds: IdGenerator = { next: (prefix = 'id') => `${prefix}_${randomUUID().replaceAll('-', '')}` };

export interface CreateWorkflowEngineOptions {
  db: Database;
  gateway: McpGateway;
  eventBus: EventBus;
  clock: Clock;
  logger: Logger;
}

/**
 * The engine over the SQL store: internal actions write through the action
 * effect store (sandbox outbox, deploy rollback), everything else goes
 * through the MCP gateway, and validation knows the workspace's gateway tools.
 */
export function createWorkflowEngine(options: CreateWorkflowEngineOptions): WorkflowEngine {
  const { db, gateway } = options;
  return new WorkflowEngine({
    store: createWorkflowStore(db),
    invoker: createCompositeActionInvoker({
      internal: createInternalActionInvoker(createActionEffectStore(db)),
      gateway: createGatewayActionInvoker(gateway),
    }),
    eventBus: options.eventBus,
    clock: options.clock,
    ids: workflowIds,
    logger: options.logger,
    toolCatalog: { listToolNames: async (workspaceId) => (await gateway.listTools(workspaceId)).tools.map((tool) => tool.name) },
  });
}

/**
 * Whether this web process runs a worker. Embedded (PGlite): always, the
 * database lives in this process. PostgreSQL: yes unless
 * OPSPILOT_EMBEDDED_WORKER=false, for deployments whose steps run only in
 * `pnpm worker` processes. An explicit option wins (tests pass false).
 */
export function shouldStartWorker(input: { option: boolean | undefined; env: Environment; mode: Database['mode'] }): boolean {
  if (input.option !== undefined) return input.option;
  if (input.env.NODE_ENV === 'test') return false;
  if (input.mode === 'embedded') return true;
  return input.env.OPSPILOT_EMBEDDED_WORKER?.trim().toLowerCase() !== 'false';
}

/** A worker id that names its host process, so leases in the database say who held them. */
export function processWorkerId(role: 'web' | 'standalone'): string {
  return `${role}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/**
 * A worker that only runs steps. Cron ticks and approval expiry are not its
 * job: one process per database does them in the background runner (see
 * docs/decisions/0012-single-detection-runner.md).
 */
export function createProcessWorker(engine: WorkflowEngine, options: { role: 'web' | 'standalone'; logger: Logger; concurrency?: number; workerId?: string }): Worker {
  return new Worker(engine, {
    workerId: options.workerId ?? processWorkerId(options.role),
    logger: options.logger,
    maintenanceIntervalMs: 0,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
}

/** The suggest-mode policy each demo workflow gets: the signal that should propose it. */
const demoPolicyMatches: Record<string, { name: string; match: PolicyRecord['match'] }> = {
  'failed-payment-follow-up': { name: 'Failed payments spike: propose the follow-up', match: { kind: 'anomaly', metric: 'failed_payments', severity: 'warning' } },
  'latency-regression-rollback': { name: 'p95 latency regression: propose a rollback', match: { kind: 'anomaly', metric: 'latency_p95', severity: 'warning' } },
  'churn-save': { name: 'Churn rate up: propose a churn save', match: { kind: 'anomaly', metric: 'churned_customers', severity: 'warning' } },
};

/**
 * Gives the demo workspace its workflows, each with a suggest-mode policy,
 * on boot. Idempotent: a workflow whose key exists is left alone (an admin's
 * edits survive restarts), and a policy is created only together with its
 * workflow, so a deleted policy stays deleted. A process racing this boot
 * loses on the (workspace, key) unique index, which is fine.
 */
export async function seedDemoWorkflows(db: Database, engine: WorkflowEngine, logger: Logger): Promise<{ created: number }> {
  const demo = await db.prisma.workspace.findFirst({ where: { isDemo: true }, select: { id: true } });
  if (!demo) return { created: 0 };
  const existing = new Set((await engine.listWorkflows(demo.id)).map((workflow) => workflow.key));
  let created = 0;
  for (const workflow of demoWorkflows) {
    if (existing.has(workflow.key)) continue;
    try {
      const stored = await engine.createWorkflow({
        workspaceId: demo.id, key: workflow.key, name: workflow.name, description: workflow.description,
        reversible: workflow.reversible, definition: workflow.definition, createdById: null,
      });
      created += 1;
      const policy = demoPolicyMatches[workflow.key];
      if (policy) await engine.createPolicy({ workspaceId: demo.id, workflowId: stored.workflow.id, name: policy.name, match: policy.match, mode: 'suggest' });
    } catch (error) {
      // A concurrent boot created it, or the sandbox connectors are missing (validation names the unknown tool).
      logger.warn('Could not seed a demo workflow', { key: workflow.key, error: isAppError(error) ? error.message : String(error) });
    }
  }
  if (created > 0) logger.info('Seeded the demo workflows', { workspaceId: demo.id, created });
  return { created };
}
