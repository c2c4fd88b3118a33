import { AppError } from '../errors';
import { silentLogger, type Clock, type EventBus, type IdGenerator, type Logger } from '../ports';
import type { ActionInvoker } from './actions';
import type { WorkflowDefinition } from './definition';
import { insertApprovalGate } from './run-advance';
import type { RunEventRecord, RunRecord, WorkflowStore } from './ports';

/** Gateway tool names a workspace may use in workflow actions. */
export interface ToolCatalog {
  listToolNames(workspaceId: string): Promise<string[]>;
}

/** Everything the engine needs from outside; all of it injected. */
export interface WorkflowEngineDeps {
  store: WorkflowStore;
  invoker: ActionInvoker;
  eventBus: EventBus;
  clock: Clock;
  ids: IdGenerator;
  logger?: Logger;
  /** Source of jitter for retry backoff, 0..1. Defaults to Math.random. */
  random?: () => number;
  /** Gateway tools for validation; without it only internal actions validate. */
  toolCatalog?: ToolCatalog;
  /** Timeout for action nodes that set none. Defaults to 30 s. */
  defaultStepTimeoutMs?: number;
}

/** A run event as published on the event bus (`run:<runId>` and `workspace-runs:<workspaceId>`). */
export interface RunEventMessage {
  id: string;
  runId: string;
  workspaceId: string;
  seq: number;
  type: RunEventRecord['type'];
  payload: Record<string, unknown>;
  createdAt: string;
}

/** Shared state of one engine: deps plus caches and in-process abort handles. */
export interface EngineContext {
  deps: WorkflowEngineDeps;
  logger: Logger;
  random: () => number;
  definitions: Map<string, WorkflowDefinition>;
  /** AbortControllers of steps running in this process, so cancel reaches them at once. */
  runningSteps: Map<string, { runId: string; controller: AbortController }>;
  /** In-process listeners (workers) told when steps became ready, so they need not wait for their next poll. */
  workListeners: Set<() => void>;
}

export function createEngineContext(deps: WorkflowEngineDeps): EngineContext {
  return { deps, logger: deps.logger ?? silentLogger, random: deps.random ?? Math.random, definitions: new Map(), runningSteps: new Map(), workListeners: new Set() };
}

export function runTopic(runId: string): string {
  return `run:${runId}`;
}

export function workspaceRunsTopic(workspaceId: string): string {
  return `workspace-runs:${workspaceId}`;
}

export function toEventMessage(event: RunEventRecord): RunEventMessage {
  return { ...event, createdAt: event.createdAt.toISOString() };
}

/** Publishes events after their transaction committed; a bus failure never fails the run (events are durable). */
export async function publishEvents(context: EngineContext, events: readonly RunEventRecord[]): Promise<void> {
  for (const event of events) {
    const message = toEventMessage(event);
    try {
      await context.deps.eventBus.publish(runTopic(event.runId), message);
      await context.deps.eventBus.publish(workspaceRunsTopic(event.workspaceId), message);
    } catch (error) {
      context.logger.warn('run event publish failed', { runId: event.runId, seq: event.seq, error: String(error) });
    }
  }
}

/**
 * The definition a run executes: the version it started with (never the
 * workflow's current one), plus the approval gate when it was suggested.
 */
export async function loadRunDefinition(context: EngineContext, run: RunRecord): Promise<WorkflowDefinition> {
  const gated = run.trigger.mode === 'suggest';
  const cacheKey = `${run.workflowId}:${run.workflowVersion}:${gated ? 'gate' : 'plain'}`;
  const cached = context.definitions.get(cacheKey);
  if (cached) return cached;
  const version = await context.deps.store.findWorkflowVersion(run.workflowId, run.workflowVersion);
  if (!version) throw new AppError('NOT_FOUND', `Workflow ${run.workflowId} version ${run.workflowVersion} not found`);
  const definition = gated ? insertApprovalGate(version.definition) : version.definition;
  context.definitions.set(cacheKey, definition);
  return definition;
}

/** Tells in-process workers that a step may be ready. */
export function notifyWorkAvailable(context: EngineContext): void {
  for (const listener of context.workListeners) listener();
}

export function now(context: EngineContext): Date {
  return context.deps.clock.now();
}
