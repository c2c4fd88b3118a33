import { isAppError } from '../errors';

/** One action call. `idempotencyKey` is stable per (run, node): a retried or reclaimed step passes the same key. */
export interface ActionRequest {
  workspaceId: string;
  tool: string;
  input: Record<string, unknown>;
  idempotencyKey: string;
  runId: string;
  nodeId: string;
  /** Aborted on step timeout, run cancel or lease loss. */
  signal: AbortSignal;
}

/**
 * The port through which workflow actions reach tools. The MCP gateway
 * implements it for `<connector>__<tool>` names; `createInternalActionInvoker`
 * implements the internal actions. Throw `NonRetryableError` for failures a
 * retry cannot fix; any other error is retried per the node's policy.
 */
export interface ActionInvoker {
  invoke(request: ActionRequest): Promise<unknown>;
}

/** A failure that retrying cannot fix (bad input, permission denied): the step fails at once. */
export class NonRetryableError extends Error {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}

/** AppError codes that mean "the same call will fail again". */
const permanentCodes = new Set(['BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'PRECONDITION_FAILED', 'CONFLICT', 'PAYLOAD_TOO_LARGE']);

/** Whether a failed action may be retried. */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof NonRetryableError) return false;
  if (isAppError(error)) return !permanentCodes.has(error.code);
  return true;
}

/** Names of the actions the engine provides itself (no gateway needed). */
export const internalActionNames = ['notify', 'tasks.create', 'metrics.wait', 'deploys.rollback'] as const;
export type InternalActionName = (typeof internalActionNames)[number];

export function isInternalAction(tool: string): tool is InternalActionName {
  return (internalActionNames as readonly string[]).includes(tool);
}

/** One side effect of an internal action. */
export interface ActionEffect {
  workspaceId: string;
  idempotencyKey: string;
  kind: 'notification' | 'task' | 'deploy-rollback';
  payload: Record<string, unknown>;
}

/**
 * Where internal actions write. Implementations perform each idempotency key
 * at most once and return the first result for a repeated key; that is what
 * makes a retried or reclaimed step safe.
 */
export interface ActionEffectPort {
  perform(effect: ActionEffect): Promise<{ result: Record<string, unknown>; repeated: boolean }>;
  /** The latest value of a metric, or undefined when there is none. */
  readMetric(request: { workspaceId: string; metric: string }): Promise<number | undefined>;
}

function readText(input: Record<string, unknown>, key: string, fallback?: string): string {
  const value = input[key];
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (fallback !== undefined) return fallback;
  throw new NonRetryableError(`Input "${key}" is required`);
}

async function waitForMetric(effects: ActionEffectPort, request: ActionRequest): Promise<unknown> {
  const metric = readText(request.input, 'metric');
  const below = request.input.below;
  const above = request.input.above;
  if (typeof below !== 'number' && typeof above !== 'number') throw new NonRetryableError('metrics.wait needs "below" or "above"');
  const value = await effects.readMetric({ workspaceId: request.workspaceId, metric });
  const satisfied = value !== undefined && (typeof below !== 'number' || value < below) && (typeof above !== 'number' || value > above);
  // Not yet: a retryable error lets the node's retry policy poll with backoff.
  if (!satisfied) throw new Error(`Metric ${metric} is ${value ?? 'missing'}; waiting for ${typeof below === 'number' ? `< ${below}` : `> ${String(above)}`}`);
  return { metric, value };
}

/** The internal action set: notify, create a task, wait for a metric, roll back the last deploy. */
export function createInternalActionInvoker(effects: ActionEffectPort): ActionInvoker {
  return {
    async invoke(request) {
      if (request.signal.aborted) throw request.signal.reason;
      const base = { workspaceId: request.workspaceId, idempotencyKey: request.idempotencyKey };
      const tool = request.tool;
      if (!isInternalAction(tool)) throw new NonRetryableError(`Unknown internal action "${tool}"`);
      switch (tool) {
        case 'notify': {
          const payload = { channel: readText(request.input, 'channel', 'default'), message: readText(request.input, 'message') };
          return (await effects.perform({ ...base, kind: 'notification', payload })).result;
        }
        case 'tasks.create': {
          const payload = { title: readText(request.input, 'title'), description: readText(request.input, 'description', '') };
          return (await effects.perform({ ...base, kind: 'task', payload })).result;
        }
        case 'deploys.rollback': {
          const payload = { service: readText(request.input, 'service', 'default'), reason: readText(request.input, 'reason', '') };
          return (await effects.perform({ ...base, kind: 'deploy-rollback', payload })).result;
        }
        case 'metrics.wait':
          return waitForMetric(effects, request);
      }
    },
  };
}

/**
 * Routes internal action names to `internal` and everything else
 * (`<connector>__<tool>`) to `gateway`.
 */
export function createCompositeActionInvoker(options: { internal: ActionInvoker; gateway?: ActionInvoker }): ActionInvoker {
  return {
    invoke(request) {
      if (isInternalAction(request.tool)) return options.internal.invoke(request);
      if (!options.gateway) return Promise.reject(new NonRetryableError(`Tool "${request.tool}" needs the integration gateway, which is not configured`));
      return options.gateway.invoke(request);
    },
  };
}

/**
 * An in-memory ActionEffectPort that performs each idempotency key once and
 * records every effect, for tests and for counting side effects.
 */
export function createRecordingEffectPort(metrics: Record<string, number> = {}): ActionEffectPort & {
  readonly effects: ActionEffect[];
  readonly calls: ActionEffect[];
  metrics: Record<string, number>;
} {
  const byKey = new Map<string, Record<string, unknown>>();
  const port = {
    effects: [] as ActionEffect[],
    calls: [] as ActionEffect[],
    metrics,
    async perform(effect: ActionEffect) {
      port.calls.push(effect);
      const existing = byKey.get(effect.idempotencyKey);
      if (existing) return { result: existing, repeated: true };
      const result = { id: `${effect.kind}-${byKey.size + 1}`, ...effect.payload };
      byKey.set(effect.idempotencyKey, result);
      port.effects.push(effect);
      return { result, repeated: false };
    },
    async readMetric(request: { metric: string }) {
      return port.metrics[request.metric];
    },
  };
  return port;
}
