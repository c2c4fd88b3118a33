import { billPeriod, type BillingContext } from './billing';
import { addDays, addMonths, dayMs } from './calendar';
import { isInside, type TimeWindow } from './incidents';
import { monthlyRecurringRevenue, neighbourPlan, priceFor } from './plans';
import type { Random } from './random';
import type {
  BillingInterval,
  DemoCustomer,
  DemoInvoice,
  DemoMrrChange,
  DemoMrrChangeKind,
  DemoSubscription,
  PlanKey,
} from './types';

const trialDays = 14;
/** Chance of cancelling at a monthly renewal, by plan; annual renewals use one rate. */
const monthlyRenewalChurn: Record<PlanKey, number> = { starter: 0.035, growth: 0.022, scale: 0.012 };
const annualRenewalChurn = 0.12;
const churnDuringCompetitorLaunch = 0.28;
const upgradePerDay: Record<PlanKey, number> = { starter: 0.035 / 30, growth: 0.02 / 30, scale: 0 };
const downgradePerDay: Record<PlanKey, number> = { starter: 0, growth: 0.01 / 30, scale: 0.015 / 30 };
const reactivationAfterCancel = 0.18;
const reactivationAfterNonPayment = 0.1;

export interface LifecycleContext extends BillingContext {
  churnJump: TimeWindow;
  churnJumpPlan: PlanKey;
  nextSubscriptionNumber(): number;
  nextMrrChangeNumber(): number;
}

/** What the customer picks when they start a trial. */
export interface CustomerChoice {
  planKey: PlanKey;
  interval: BillingInterval;
  discountPercent: number;
  converts: boolean;
}

export interface LifecycleOutput {
  subscriptions: DemoSubscription[];
  mrrChanges: DemoMrrChange[];
  invoices: DemoInvoice[];
}

interface Stint {
  subscription: DemoSubscription;
  discountPercent: number;
  mrr: number;
  events: number;
}

/** Trial, conversion and every paid stint of one customer, up to the anchor. */
export function simulateCustomer(
  context: LifecycleContext,
  customer: DemoCustomer,
  choice: CustomerChoice,
  random: Random,
  output: LifecycleOutput,
): void {
  const trialStart = customer.createdAt;
  const trialEnd = addDays(trialStart, trialDays);
  const subscription = openSubscription(context, customer.id, choice, trialStart, output);
  subscription.trialStart = trialStart;
  subscription.trialEnd = trialEnd;
  if (trialEnd.getTime() >= context.anchor) {
    subscription.status = 'trialing';
    return;
  }
  if (!choice.converts) {
    subscription.status = 'canceled';
    subscription.canceledAt = new Date(trialEnd.getTime() - random.uniform(0, 3) * dayMs);
    subscription.endedAt = trialEnd;
    subscription.updatedAt = trialEnd;
    return;
  }
  runPaidStint(
    context,
    { subscription, discountPercent: choice.discountPercent, mrr: 0, events: 0 },
    trialEnd,
    'new',
    random,
    output,
  );
}

function openSubscription(
  context: LifecycleContext,
  customerId: string,
  choice: Pick<CustomerChoice, 'planKey' | 'interval' | 'discountPercent'>,
  startedAt: Date,
  output: LifecycleOutput,
): DemoSubscription {
  const number = String(context.nextSubscriptionNumber()).padStart(5, '0');
  const subscription: DemoSubscription = {
    id: `${context.workspaceId}_sub_${number}`,
    workspaceId: context.workspaceId,
    customerId,
    externalId: `sub_demo_${number}`,
    planKey: choice.planKey,
    interval: choice.interval,
    status: 'active',
    amount: priceFor(choice.planKey, choice.interval, choice.discountPercent),
    trialStart: null,
    trialEnd: null,
    startedAt,
    canceledAt: null,
    endedAt: null,
    updatedAt: startedAt,
  };
  output.subscriptions.push(subscription);
  return subscription;
}

function recordMrrChange(
  context: LifecycleContext,
  stint: Stint,
  kind: DemoMrrChangeKind,
  at: Date,
  mrrAfter: number,
  output: LifecycleOutput,
): void {
  const number = context.nextMrrChangeNumber();
  stint.events += 1;
  output.mrrChanges.push({
    id: `${context.workspaceId}_mrr_${String(number).padStart(6, '0')}`,
    workspaceId: context.workspaceId,
    customerId: stint.subscription.customerId,
    occurredAt: at,
    mrrBefore: stint.mrr,
    mrrAfter,
    planKey: stint.subscription.planKey,
    sourceEvent: `${kind}:${stint.subscription.externalId}:${stint.events}`,
  });
  stint.mrr = mrrAfter;
  stint.subscription.updatedAt = at;
}

/**
 * Start of billing period `index`, counted from the stint's billing anchor as
 * Stripe does: a subscription started on the 31st renews on the 28th in
 * February and on the 31st again in March, instead of drifting to the 28th.
 */
function periodStartAt(billingAnchor: Date, interval: BillingInterval, index: number): Date {
  return addMonths(billingAnchor, (interval === 'year' ? 12 : 1) * index);
}

/** Bills, changes plans and renews until the stint ends or the anchor is reached. */
function runPaidStint(
  context: LifecycleContext,
  stint: Stint,
  start: Date,
  kind: 'new' | 'reactivation',
  random: Random,
  output: LifecycleOutput,
): void {
  const subscription = stint.subscription;
  recordMrrChange(
    context,
    stint,
    kind,
    start,
    monthlyRecurringRevenue(subscription.amount, subscription.interval),
    output,
  );
  for (let period = 0; ; period += 1) {
    const periodStart = periodStartAt(start, subscription.interval, period);
    const outcome = billPeriod(
      context,
      { customerId: subscription.customerId, amount: subscription.amount, at: periodStart },
      random,
      output.invoices,
    );
    if (outcome.kind === 'dunning_at_anchor') {
      subscription.status = 'past_due';
      subscription.updatedAt = outcome.lastFailedAt ?? subscription.updatedAt;
      return;
    }
    if (outcome.kind === 'uncollectible') {
      endStint(context, stint, outcome.at, outcome.at, output);
      maybeReactivate(context, stint, outcome.at, reactivationAfterNonPayment, random, output);
      return;
    }
    const periodEnd = periodStartAt(start, subscription.interval, period + 1);
    maybeChangePlan(context, stint, periodStart, periodEnd, random, output);
    if (periodEnd.getTime() >= context.anchor) {
      subscription.status = 'active';
      return;
    }
    if (random.chance(renewalChurn(context, subscription, periodEnd))) {
      const noticeDays = random.uniform(
        0,
        Math.min(14, (periodEnd.getTime() - periodStart.getTime()) / dayMs),
      );
      endStint(context, stint, new Date(periodEnd.getTime() - noticeDays * dayMs), periodEnd, output);
      maybeReactivate(context, stint, periodEnd, reactivationAfterCancel, random, output);
      return;
    }
  }
}

function renewalChurn(context: LifecycleContext, subscription: DemoSubscription, renewal: Date): number {
  if (subscription.planKey === context.churnJumpPlan && isInside(context.churnJump, renewal.getTime())) {
    return churnDuringCompetitorLaunch;
  }
  return subscription.interval === 'year' ? annualRenewalChurn : monthlyRenewalChurn[subscription.planKey];
}

function endStint(
  context: LifecycleContext,
  stint: Stint,
  canceledAt: Date,
  endedAt: Date,
  output: LifecycleOutput,
): void {
  recordMrrChange(context, stint, 'churn', endedAt, 0, output);
  stint.subscription.status = 'canceled';
  stint.subscription.canceledAt = canceledAt;
  stint.subscription.endedAt = endedAt;
}

/** At most one upgrade or downgrade per period, on a random day before the anchor. */
function maybeChangePlan(
  context: LifecycleContext,
  stint: Stint,
  periodStart: Date,
  periodEnd: Date,
  random: Random,
  output: LifecycleOutput,
): void {
  const subscription = stint.subscription;
  const lastDay = Math.min(periodEnd.getTime(), context.anchor);
  // Turbopack's scope hoisting once missed renaming an imported binding in a for-loop update
  // (`day += dayMs` became a free variable), so the step lives in a local constant.
  const stepMs = dayMs;
  for (let day = periodStart.getTime() + stepMs; day < lastDay; day += stepMs) {
    const up = random.chance(upgradePerDay[subscription.planKey]);
    const down = !up && random.chance(downgradePerDay[subscription.planKey]);
    const target = up
      ? neighbourPlan(subscription.planKey, 1)
      : down
        ? neighbourPlan(subscription.planKey, -1)
        : undefined;
    if (target === undefined) continue;
    const at = new Date(day - random.integer(0, 12 * 60) * 60_000);
    subscription.planKey = target;
    subscription.amount = priceFor(target, subscription.interval, stint.discountPercent);
    recordMrrChange(
      context,
      stint,
      up ? 'upgrade' : 'downgrade',
      at,
      monthlyRecurringRevenue(subscription.amount, subscription.interval),
      output,
    );
    return;
  }
}

/** Some churned customers come back on a fresh monthly subscription, same plan or one lower. */
function maybeReactivate(
  context: LifecycleContext,
  previous: Stint,
  endedAt: Date,
  probability: number,
  random: Random,
  output: LifecycleOutput,
): void {
  if (!random.chance(probability)) return;
  const at = new Date(endedAt.getTime() + random.uniform(25, 150) * dayMs);
  if (at.getTime() >= context.anchor) return;
  const lowerPlan = neighbourPlan(previous.subscription.planKey, -1);
  const planKey = lowerPlan !== undefined && random.chance(0.4) ? lowerPlan : previous.subscription.planKey;
  const subscription = openSubscription(
    context,
    previous.subscription.customerId,
    { planKey, interval: 'month', discountPercent: 0 },
    at,
    output,
  );
  runPaidStint(
    context,
    { subscription, discountPercent: 0, mrr: 0, events: 0 },
    at,
    'reactivation',
    random,
    output,
  );
}
