import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '@opspilot/core/ports';
import { createPostgresEventBus } from '@opspilot/db';
import { createRuntime, type Runtime } from '../runtime';
import { anomalyTopic } from '@opspilot/core/signals';
import { offerAnomalyToPolicies, startRemediationBridge } from './remediation-bridge';

describe('remediation bridge: which anomalies reach the policies (core decides, on the demo workspace)', () => {
  let runtime: Runtime;
  let workspaceId: string;
  const workflowIdOf: Record<string, string> = {};

  beforeAll(async () => {
    runtime = await createRuntime({
      env: { NODE_ENV: 'test', OPSPILOT_DATA_DIR: 'memory://' },
      logger: silentLogger,
      printDemoCredentials: false,
      startWorker: false,
    });
    workspaceId = (await runtime.db.prisma.workspace.findFirstOrThrow({ where: { isDemo: true } })).id;
    for (const workflow of await runtime.workflows.listWorkflows(workspaceId)) workflowIdOf[workflow.key] = workflow.id;
    // The demo seeds policies for latency_p95 and churned_customers; revenue gets one here.
    await runtime.workflows.createPolicy({
      workspaceId, workflowId: workflowIdOf['churn-save']!, name: 'MRR anomaly: propose a churn save', match: { kind: 'anomaly', metric: 'mrr', severity: 'warning' }, mode: 'suggest',
    });
  }, 120_000);
  afterAll(async () => runtime?.close());

  /** Stores a fresh critical anomaly (ten minutes old). */
  async function storeAnomaly(metric: string, direction: 'up' | 'down', values: { actual: number; expected: number }) {
    const now = runtime.clock.now().getTime();
    return runtime.db.prisma.anomaly.create({
      data: {
        workspaceId, metric, detector: 'test', windowStart: new Date(now - 15 * 60_000), windowEnd: new Date(now - 10 * 60_000),
        ...values, lower: Math.min(values.actual, values.expected) / 2, upper: Math.max(values.actual, values.expected) * 2,
        score: 0.97, direction, severity: 'critical',
      },
    });
  }

  async function countRunsOf(anomalyId: string): Promise<number> {
    const runs = await runtime.workflows.listRuns({ workspaceId, limit: 200 });
    return runs.filter((run) => run.trigger.signalId === anomalyId).length;
  }

  /** Stores a fresh critical anomaly and offers it; returns how many runs it started. */
  async function offer(metric: string, direction: 'up' | 'down', values: { actual: number; expected: number }): Promise<number> {
    const anomaly = await storeAnomaly(metric, direction, values);
    await offerAnomalyToPolicies(runtime, workspaceId, anomaly.id);
    return countRunsOf(anomaly.id);
  }

  it('does not offer a latency drop, and offers a latency rise', async () => {
    expect(await offer('latency_p95', 'down', { actual: 40, expected: 200 })).toBe(0);
    expect(await offer('latency_p95', 'up', { actual: 900, expected: 200 })).toBe(1);
  });

  it('does not offer a revenue rise, and offers a revenue drop', async () => {
    expect(await offer('mrr', 'up', { actual: 2_000_000, expected: 1_000_000 })).toBe(0);
    expect(await offer('mrr', 'down', { actual: 500_000, expected: 1_000_000 })).toBe(1);
  });

  it('applies the minimum excess of a watched count series in its own units', async () => {
    expect(await offer('churned_customers', 'up', { actual: 2, expected: 0.3 })).toBe(0);
    expect(await offer('churned_customers', 'up', { actual: 11, expected: 1 })).toBe(1);
  });

  it('stop() resolves only once the offers in flight are over, so the database can close right after', async () => {
    const notify = (anomalyId: string) => runtime.eventBus.publish(anomalyTopic(workspaceId), { type: 'anomaly-created', anomalyId, metric: 'latency_p95', severity: 'critical' });
    const stop = startRemediationBridge({ runtime });
    let stopped = false;
    try {
      const first = await storeAnomaly('latency_p95', 'up', { actual: 950, expected: 200 });
      // Published until the bridge has subscribed (the run idempotency key keeps it at one run).
      await vi.waitFor(async () => {
        await notify(first.id);
        expect(await countRunsOf(first.id)).toBe(1);
      }, { timeout: 20_000, interval: 100 });
      const second = await storeAnomaly('latency_p95', 'up', { actual: 990, expected: 200 });
      // Subscribed after the bridge, this listener hears the event right after the bridge began its offer.
      const heard = new Promise<void>((resolve, reject) => {
        runtime.eventBus.subscribe(anomalyTopic(workspaceId), (payload) => {
          if ((payload as { anomalyId?: string }).anomalyId === second.id) resolve();
        }).catch(reject);
      });
      await notify(second.id);
      await heard;
      stopped = true;
      await stop();
      expect(await countRunsOf(second.id)).toBe(1);
    } finally {
      if (!stopped) await stop();
    }
  });

  it('a subscription that fails (no LISTEN connection) is logged and retried, never an unhandled rejection', async () => {
    const warnings: string[] = [];
    // A real PostgreSQL bus pointed at a port nobody listens on: its subscribe rejects with ECONNREFUSED.
    const eventBus = createPostgresEventBus(runtime.db, 'postgres://postgres@127.0.0.1:1/nowhere');
    const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    const stop = startRemediationBridge({ runtime: { ...runtime, eventBus, logger }, refreshMs: 50 });
    try {
      await vi.waitFor(() => expect(warnings.filter((message) => message === 'Remediation bridge could not subscribe').length).toBeGreaterThan(1), { timeout: 20_000, interval: 50 });
    } finally {
      await stop();
      await eventBus.close();
    }
  });
});
