/**
 * A standalone workflow worker for the kill -9 crash test: argv is
 * `<postgres url> <worker id> <lease ms>`. Internal actions write through the
 * SQL effect store, slowed down on both sides of the write so that a kill
 * lands mid-action (after the side effect, before the step's commit).
 */
import { randomUUID } from 'node:crypto';
import { systemClock } from '@opspilot/core/ports';
import { WorkflowEngine, Worker, createCompositeActionInvoker, createInternalActionInvoker, type ActionEffectPort } from '@opspilot/core/workflows';
import { openDatabase } from '../client';
import { createActionEffectStore } from './workflow-action-effects';
import { createWorkflowStore } from './workflow-store';

const [url, workerId, leaseText] = process.argv.slice(2);
if (!url || !workerId) throw new Error('usage: workflow-crash-worker <postgres url> <worker id> [lease ms]');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const db = await openDatabase({ mode: 'postgres', url });
const effects = createActionEffectStore(db);
const slowEffects: ActionEffectPort = {
  async perform(effect) {
    await pause(40);
    const result = await effects.perform(effect);
    await pause(120);
    return result;
  },
  readMetric: (request) => effects.readMetric(request),
};
const engine = new WorkflowEngine({
  store: createWorkflowStore(db),
  invoker: createCompositeActionInvoker({ internal: createInternalActionInvoker(slowEffects) }),
  eventBus: { publish: async () => undefined, subscribe: async () => async () => undefined },
  clock: systemClock,
  ids: { next: (prefix = 'id') => `${prefix}_${randomUUID()}` },
});
const worker = new Worker(engine, { workerId, concurrency: 4, pollIntervalMs: 20, leaseMs: Number(leaseText ?? 1_500), maintenanceIntervalMs: 0 });
worker.start();
process.stdout.write(`ready ${workerId}\n`);

process.on('SIGTERM', () => {
  void worker.stop().then(() => db.close()).then(() => process.exit(0));
});
