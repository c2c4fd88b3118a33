import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@opspilot/core/ports';
import { createRuntime, type Runtime } from '../runtime';
import { offerAnomalyToPolicies } from './remediation-bridge';

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

  /** Stores a fresh critical anomaly and offers it; returns how many runs it started. */
  async function offer(metric: string, direction: 'up' | 'down', values: { actual: number; expected: number }): Promise<number> {
    const now = runtime.clock.now().getTime();
    const anomaly = await runtime.db.prisma.anomaly.create({
      data: {
        workspaceId, metric, detector: 'test', windowStart: new Date(now - 15 * 60_000), windowEnd: new Date(now - 10 * 60_000),
        ...values, lower: Math.min(values.actual, values.expected) / 2, upper: Math.max(values.actual, values.expected) * 2,
        score: 0.97, direction, severity: 'critical',
      },
    });
    await offerAnomalyToPolicies(runtime, workspaceId, anomaly.id);
    const runs = await runtime.workflows.listRuns({ workspaceId, limit: 200 });
    return runs.filter((run) => run.trigger.signalId === anomaly.id).length;
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
});
