/**
 * Plain records of the demo business. Field names and types mirror the Prisma
 * models in prisma/schema.prisma one to one, so the db package can insert
 * them without mapping. Money is in cents; times are UTC.
 */

export type BillingInterval = 'month' | 'year';
export type PlanKey = 'starter' | 'growth' | 'scale';

export interface DemoWorkspace {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  currency: string;
  killSwitch: boolean;
  settings: { demo: { seed: number; anchor: string; generatorVersion: number } };
  isDemo: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface DemoPlan {
  id: string;
  workspaceId: string;
  key: PlanKey;
  name: string;
  tier: number;
  /** Cents for one month of the monthly plan. */
  monthlyPrice: number;
  /** Cents for one year of the annual plan (always a multiple of 12). */
  annualPrice: number;
}

export interface DemoCustomer {
  id: string;
  workspaceId: string;
  externalId: string;
  name: string;
  email: string | null;
  country: string | null;
  segment: string | null;
  createdAt: Date;
}

export type DemoSubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'canceled';

/** One subscription per paid stint: a churned customer who comes back gets a new one. */
export interface DemoSubscription {
  id: string;
  workspaceId: string;
  customerId: string;
  externalId: string;
  /** The plan in force at the anchor (or when the subscription ended). */
  planKey: PlanKey;
  interval: BillingInterval;
  status: DemoSubscriptionStatus;
  /** Cents per billing interval, net of discount, excluding tax. */
  amount: number;
  trialStart: Date | null;
  trialEnd: Date | null;
  startedAt: Date;
  canceledAt: Date | null;
  endedAt: Date | null;
  updatedAt: Date;
}

/** Why an MRR change happened; encoded in `sourceEvent` as `<kind>:<subscription>:<n>`. */
export type DemoMrrChangeKind = 'new' | 'upgrade' | 'downgrade' | 'churn' | 'reactivation';

export interface DemoMrrChange {
  id: string;
  workspaceId: string;
  customerId: string;
  occurredAt: Date;
  /** Normalised monthly revenue in cents (annual amount / 12). */
  mrrBefore: number;
  mrrAfter: number;
  /** Plan after the change; for churn, the plan that was left. */
  planKey: PlanKey | null;
  sourceEvent: string | null;
}

export type DemoInvoiceStatus = 'draft' | 'open' | 'paid' | 'failed' | 'void' | 'uncollectible';

export interface DemoInvoice {
  id: string;
  workspaceId: string;
  customerId: string;
  externalId: string;
  amount: number;
  currency: string;
  status: DemoInvoiceStatus;
  attemptCount: number;
  dueAt: Date;
  paidAt: Date | null;
  lastFailedAt: Date | null;
  createdAt: Date;
}

export interface DemoSupportTicket {
  id: string;
  workspaceId: string;
  customerId: string | null;
  externalId: string;
  subject: string;
  priority: string;
  status: string;
  createdAt: Date;
  resolvedAt: Date | null;
}

export interface DemoDeploy {
  id: string;
  workspaceId: string;
  service: string;
  version: string;
  description: string;
  deployedAt: Date;
  rolledBack: boolean;
}

export interface DemoMetricPoint {
  workspaceId: string;
  metric: string;
  interval: string;
  segment: string;
  ts: Date;
  value: number;
  count: number;
}

/**
 * A regular time series in compact form: point i is at `start + i * stepMinutes`.
 * 105k five-minute points per metric stay cheap to hold, hash and bulk-load.
 */
export interface DemoMetricSeries {
  workspaceId: string;
  metric: string;
  /** "5m" or "1d". */
  interval: string;
  segment: string;
  start: Date;
  stepMinutes: number;
  values: number[];
}

export interface DemoDataset {
  anchor: Date;
  seed: number;
  workspace: DemoWorkspace;
  plans: DemoPlan[];
  customers: DemoCustomer[];
  subscriptions: DemoSubscription[];
  mrrChanges: DemoMrrChange[];
  invoices: DemoInvoice[];
  supportTickets: DemoSupportTicket[];
  deploys: DemoDeploy[];
  metricSeries: DemoMetricSeries[];
}

/** Rows per table, keyed by the Prisma model name. */
export type DemoRowCounts = Record<
  | 'Workspace'
  | 'Plan'
  | 'Customer'
  | 'Subscription'
  | 'MrrChange'
  | 'Invoice'
  | 'SupportTicket'
  | 'Deploy'
  | 'MetricPoint',
  number
>;
