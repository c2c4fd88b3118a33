import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Clock, EventBus, IdGenerator } from '@opspilot/core/ports';
import {
  WorkflowEngine, createCompositeActionInvoker, createInternalActionInvoker, createRecordingEffectPort, type ActionInvoker, type ActionRequest,
  type WorkflowEngineDeps,
} from '@opspilot/core/workflows';
import type { Database } from '../client';
import { createEmbeddedTestDatabase, createPostgresTestDatabase } from '../testing';
import { createWorkflowStore } from './workflow-store';

/** A clock tests move by hand. */
export function createManualClock(start: Date): Clock & { advance(ms: number): void; set(date: Date): void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (date) => {
      current = date.getTime();
    },
  };
}

export function createSequentialIds(): IdGenerator {
  let counter = 0;
  return { next: (prefix = 'id') => `${prefix}_${String(++counter).padStart(6, '0')}` };
}

/** An in-process bus that records what was published, per topic. */
export function createRecordingEventBus(): EventBus & { published: { topic: string; payload: unknown }[] } {
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  const bus = {
    published: [] as { topic: string; payload: unknown }[],
    async publish(topic: string, payload: unknown) {
      bus.published.push({ topic, payload });
      for (const handler of handlers.get(topic) ?? []) handler(payload);
    },
    async subscribe(topic: string, handler: (payload: unknown) => void) {
      const set = handlers.get(topic) ?? new Set();
      set.add(handler);
      handlers.set(topic, set);
      return async () => {
        set.delete(handler);
      };
    },
  };
  return bus;
}

/**
 * Stands in for the MCP gateway (an outside component here): each tool is a
 * scripted handler and every call is recorded with its idempotency key.
 */
export function createScriptedGateway(): ActionInvoker & { calls: ActionRequest[]; handlers: Map<string, (request: ActionRequest) => Promise<unknown>> } {
  const gateway = {
    calls: [] as ActionRequest[],
    handlers: new Map<string, (request: ActionRequest) => Promise<unknown>>(),
    async invoke(request: ActionRequest) {
      gateway.calls.push(request);
      const handler = gateway.handlers.get(request.tool);
      return handler ? handler(request) : { ok: true, tool: request.tool };
    },
  };
  return gateway;
}

export interface WorkflowHarness {
  db: Database;
  workspaceId: string;
  clock: ReturnType<typeof createManualClock>;
  effects: ReturnType<typeof createRecordingEffectPort>;
  gateway: ReturnType<typeof createScriptedGateway>;
  bus: ReturnType<typeof createRecordingEventBus>;
  engine: WorkflowEngine;
  /** A second engine on the same database, as another worker process would have. */
  createEngine(overrides?: Partial<WorkflowEngineDeps>): WorkflowEngine;
  /** Cancels whatever earlier tests left open so it cannot be claimed later. */
  closeOpenWork(): Promise<void>;
  close(): Promise<void>;
}

export const gatewayToolNames = ['stripe__list_failed_invoices', 'stripe__list_at_risk_customers', 'slack__post_message', 'linear__create_issue', 'notion__create_page', 'test__flaky'];

/** A migrated throwaway database (in-memory PGlite by default) with one workspace and an engine over the real store. */
export async function createWorkflowHarness(options: { database?: 'embedded' | 'postgres' } = {}): Promise<WorkflowHarness> {
  const db = options.database === 'postgres' ? await createPostgresTestDatabase() : await createEmbeddedTestDatabase();
  const workspaceId = 'ws_acme';
  await db.prisma.workspace.create({ data: { id: workspaceId, name: 'Acme', slug: 'acme' } });
  const clock = createManualClock(new Date('2026-01-05T10:00:00.000Z'));
  const effects = createRecordingEffectPort();
  const gateway = createScriptedGateway();
  const bus = createRecordingEventBus();
  const ids = createSequentialIds();
  const store = createWorkflowStore(db);
  const createEngine = (overrides: Partial<WorkflowEngineDeps> = {}) =>
    new WorkflowEngine({
      store, eventBus: bus, clock, ids, random: () => 0.5,
      invoker: createCompositeActionInvoker({ internal: createInternalActionInvoker(effects), gateway }),
      toolCatalog: { listToolNames: async () => gatewayToolNames },
      ...overrides,
    });
  return {
    db, workspaceId, clock, effects, gateway, bus, engine: createEngine(), createEngine,
    async closeOpenWork() {
      await db.execute(`UPDATE "WorkflowStep" SET "status" = 'cancelled' WHERE "status" IN ('pending', 'ready', 'running', 'waiting')`);
      await db.execute(`UPDATE "WorkflowRun" SET "status" = 'cancelled' WHERE "status" IN ('pending', 'running', 'waiting')`);
      await db.execute(`UPDATE "Approval" SET "status" = 'expired' WHERE "status" = 'pending'`);
      await db.execute(`UPDATE "WorkflowSchedule" SET "enabled" = false`);
    },
    close: () => db.close(),
  };
}

/**
 * Registers the hooks a suite needs around one shared harness: opened before the suite, open
 * runs closed after each test, everything closed after the suite. `assign` hands the harness
 * to the suite's own variable.
 */
export function openWorkflowHarness(database: 'embedded' | 'postgres', assign: (harness: WorkflowHarness) => void): void {
  let opened: WorkflowHarness | undefined;
  beforeAll(async () => {
    opened = await createWorkflowHarness({ database });
    assign(opened);
  }, 120_000);
  afterEach(async () => {
    await opened?.closeOpenWork();
  });
  afterAll(async () => {
    await opened?.close();
  });
}
