import { z } from 'zod';
import { demoStart, normaliseAnchor } from './calendar';
import { planCustomers } from './customers';
import { generateDeploys } from './deploys';
import { demoIncidents, incidentWindow } from './incidents';
import { simulateCustomer, type LifecycleContext, type LifecycleOutput } from './lifecycle';
import { createPlans, planKeys } from './plans';
import { countActiveAccounts, generateActiveUsers, generateSignups } from './product-metrics';
import { createRandom, deriveSeed } from './random';
import { generateSupportTickets } from './support-tickets';
import { generateTelemetry, telemetryStepMinutes } from './telemetry';
import type { DemoDataset, DemoMetricSeries, DemoRowCounts, DemoWorkspace, PlanKey } from './types';

/** Bumped whenever the generator's output for a given seed and anchor changes. */
export const demoGeneratorVersion = 1;
export const defaultDemoSeed = 20_240_601;
export const defaultDemoWorkspaceId = 'ws_demo_acme';

/** Options of `generateDemoDataset`. `now` is normalised to the UTC midnight at or before it. */
export const GenerateDemoInput = z.object({
  now: z.date(),
  seed: z.number().int().min(0).max(0xffffffff).default(defaultDemoSeed),
  workspaceId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .default(defaultDemoWorkspaceId),
  slug: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/)
    .default('acme-analytics'),
  name: z.string().min(1).max(120).default('Acme Analytics'),
});
export type GenerateDemoInput = z.input<typeof GenerateDemoInput>;

/**
 * Generates the whole demo business deterministically: the same seed and
 * anchor day always give the same records (see `computeDemoChecksum`). Pure:
 * no clock, no global randomness, no I/O.
 */
export function generateDemoDataset(input: GenerateDemoInput): DemoDataset {
  const options = GenerateDemoInput.parse(input);
  const anchor = normaliseAnchor(options.now);
  const { seed, workspaceId } = options;
  const stream = (label: string) => createRandom(deriveSeed(seed, label));
  const windows = {
    signupDrop: incidentWindow(anchor, 'signup_drop'),
    churnJump: incidentWindow(anchor, 'churn_jump'),
    paymentOutage: incidentWindow(anchor, 'payment_failure_spike'),
    latencyRegression: incidentWindow(anchor, 'latency_regression'),
  };
  const workspace: DemoWorkspace = {
    id: workspaceId,
    name: options.name,
    slug: options.slug,
    timezone: 'UTC',
    currency: 'usd',
    killSwitch: false,
    settings: { demo: { seed, anchor: anchor.toISOString(), generatorVersion: demoGeneratorVersion } },
    isDemo: true,
    createdAt: anchor,
    updatedAt: anchor,
  };
  const signups = generateSignups(anchor, windows.signupDrop, stream('signups'));
  const planned = planCustomers(workspaceId, anchor, signups, stream('customers'));
  const lifecycle: LifecycleOutput = { subscriptions: [], mrrChanges: [], invoices: [] };
  const context = createLifecycleContext(workspaceId, anchor, windows);
  for (const { customer, choice } of planned) {
    simulateCustomer(context, customer, choice, stream(`lifecycle:${customer.externalId}`), lifecycle);
  }
  const customers = planned.map(({ customer }) => customer);
  const activeUsers = generateActiveUsers(
    anchor,
    countActiveAccounts(anchor, lifecycle.subscriptions),
    stream('active-users'),
  );
  const telemetry = generateTelemetry(anchor, windows.latencyRegression, stream('telemetry'));
  const daily = (metric: string, values: number[]) =>
    createSeries(workspaceId, anchor, metric, '1d', 24 * 60, values);
  const fiveMinute = (metric: string, values: number[]) =>
    createSeries(workspaceId, anchor, metric, '5m', telemetryStepMinutes, values);
  return {
    anchor,
    seed,
    workspace,
    plans: createPlans(workspaceId),
    customers,
    ...lifecycle,
    supportTickets: generateSupportTickets(
      workspaceId,
      anchor,
      customers,
      windows,
      stream('support-tickets'),
    ),
    deploys: generateDeploys(workspaceId, anchor, windows.latencyRegression, stream('deploys')),
    metricSeries: [
      daily('signups', signups),
      daily('active_users', activeUsers),
      fiveMinute('api_requests', telemetry.requests),
      fiveMinute('api_errors', telemetry.errors),
      fiveMinute('api_latency_p95_ms', telemetry.latencyP95),
      fiveMinute('api_latency_p50_ms', telemetry.latencyP50),
    ],
  };
}

function createLifecycleContext(
  workspaceId: string,
  anchor: Date,
  windows: { churnJump: LifecycleContext['churnJump']; paymentOutage: LifecycleContext['paymentOutage'] },
): LifecycleContext {
  const counters = { invoice: 0, subscription: 0, mrrChange: 0 };
  return {
    workspaceId,
    anchor: anchor.getTime(),
    paymentOutage: windows.paymentOutage,
    churnJump: windows.churnJump,
    churnJumpPlan: findChurnJumpPlan(),
    nextInvoiceNumber: () => (counters.invoice += 1),
    nextSubscriptionNumber: () => (counters.subscription += 1),
    nextMrrChangeNumber: () => (counters.mrrChange += 1),
  };
}

/** The plan whose churn jumps is the segment of the churn incident in ground-truth.json. */
function findChurnJumpPlan(): PlanKey {
  const segment = demoIncidents.find((incident) => incident.kind === 'churn_jump')?.segment;
  const plan = planKeys.find((key) => key === segment);
  if (!plan)
    throw new RangeError(
      `ground-truth.json: the churn incident's segment "${segment ?? ''}" is not a plan key`,
    );
  return plan;
}

function createSeries(
  workspaceId: string,
  anchor: Date,
  metric: string,
  interval: string,
  stepMinutes: number,
  values: number[],
): DemoMetricSeries {
  return { workspaceId, metric, interval, segment: '', start: demoStart(anchor), stepMinutes, values };
}

/** Rows each table receives when the dataset is loaded. */
export function countDemoRows(dataset: DemoDataset): DemoRowCounts {
  return {
    Workspace: 1,
    Plan: dataset.plans.length,
    Customer: dataset.customers.length,
    Subscription: dataset.subscriptions.length,
    MrrChange: dataset.mrrChanges.length,
    Invoice: dataset.invoices.length,
    SupportTicket: dataset.supportTickets.length,
    Deploy: dataset.deploys.length,
    MetricPoint: dataset.metricSeries.reduce((sum, series) => sum + series.values.length, 0),
  };
}
