import { describe, expect, it } from 'vitest';
import {
  demoDunningScheduleDays,
  generateDemoDataset,
  monthlyRecurringRevenue,
  type DemoMrrChange,
  type DemoMetricSeries,
} from './index';

const dataset = generateDemoDataset({ now: new Date('2026-11-25T08:00:00Z') });
const anchor = dataset.anchor.getTime();

function changeKind(change: DemoMrrChange): string {
  return change.sourceEvent?.split(':')[0] ?? '';
}

function findSeries(metric: string): DemoMetricSeries {
  const series = dataset.metricSeries.find((candidate) => candidate.metric === metric);
  if (!series) throw new Error(`missing series ${metric}`);
  return series;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

describe('demo business invariants', () => {
  it('has one demo workspace, 3 plan tiers and at least 300 customers', () => {
    expect(dataset.workspace).toMatchObject({ isDemo: true, slug: 'acme-analytics' });
    expect(dataset.plans.map((plan) => [plan.key, plan.tier])).toEqual([
      ['starter', 1],
      ['growth', 2],
      ['scale', 3],
    ]);
    for (const plan of dataset.plans) {
      expect(plan.annualPrice % 12).toBe(0);
      expect(plan.annualPrice).toBeLessThan(plan.monthlyPrice * 12);
    }
    expect(dataset.customers.length).toBeGreaterThanOrEqual(300);
    const inYear = dataset.customers.filter(
      (customer) => customer.createdAt.getTime() >= anchor - 365 * 86_400_000,
    );
    expect(inYear.length).toBeGreaterThanOrEqual(300);
  });

  it('covers monthly and annual billing, trials, conversions, upgrades, downgrades, churn and reactivation', () => {
    const intervals = new Set(dataset.subscriptions.map((subscription) => subscription.interval));
    expect([...intervals].sort()).toEqual(['month', 'year']);
    const trials = dataset.subscriptions.filter((subscription) => subscription.trialStart !== null);
    expect(trials.length).toBeGreaterThan(100);
    expect(dataset.subscriptions.some((subscription) => subscription.status === 'trialing')).toBe(true);
    const conversions = dataset.mrrChanges.filter(
      (change) =>
        changeKind(change) === 'new' &&
        trials.some(
          (trial) =>
            trial.customerId === change.customerId &&
            trial.trialEnd?.getTime() === change.occurredAt.getTime(),
        ),
    );
    expect(conversions.length).toBeGreaterThan(100);
    expect(
      trials.filter(
        (trial) => trial.status === 'canceled' && trial.endedAt?.getTime() === trial.trialEnd?.getTime(),
      ).length,
    ).toBeGreaterThan(50);
    const kinds = groupBy(dataset.mrrChanges, changeKind);
    for (const kind of ['new', 'upgrade', 'downgrade', 'churn', 'reactivation']) {
      expect(kinds.get(kind)?.length ?? 0, kind).toBeGreaterThan(10);
    }
    for (const change of kinds.get('upgrade') ?? [])
      expect(change.mrrAfter).toBeGreaterThan(change.mrrBefore);
    for (const change of kinds.get('downgrade') ?? []) expect(change.mrrAfter).toBeLessThan(change.mrrBefore);
  });

  it('keeps the MRR ledger exactly consistent with the subscriptions', () => {
    const subscriptionsByCustomer = groupBy(dataset.subscriptions, (subscription) => subscription.customerId);
    for (const [customerId, changes] of groupBy(dataset.mrrChanges, (change) => change.customerId)) {
      let previous = 0;
      let previousTime = -Infinity;
      for (const change of changes) {
        expect(change.mrrBefore, `${customerId} ${change.sourceEvent ?? ''}`).toBe(previous);
        expect(change.occurredAt.getTime()).toBeGreaterThan(previousTime);
        expect(change.occurredAt.getTime()).toBeLessThan(anchor);
        previous = change.mrrAfter;
        previousTime = change.occurredAt.getTime();
      }
      const live = (subscriptionsByCustomer.get(customerId) ?? []).filter(
        (subscription) => subscription.status === 'active' || subscription.status === 'past_due',
      );
      const expected = live.reduce(
        (sum, subscription) => sum + monthlyRecurringRevenue(subscription.amount, subscription.interval),
        0,
      );
      expect(previous, customerId).toBe(expected);
      const last = changes.at(-1);
      if (live[0] && last) expect(last.planKey).toBe(live[0].planKey);
    }
    for (const subscription of dataset.subscriptions) {
      if (subscription.interval === 'year') expect(subscription.amount % 12).toBe(0);
      if (subscription.status === 'canceled') expect(subscription.endedAt).not.toBeNull();
    }
    const sourceEvents = dataset.mrrChanges.map((change) => change.sourceEvent);
    expect(new Set(sourceEvents).size).toBe(sourceEvents.length);
  });

  it('has failed payments with dunning retries that end paid or uncollectible', () => {
    const recovered = dataset.invoices.filter(
      (invoice) => invoice.status === 'paid' && invoice.attemptCount > 1,
    );
    const uncollectible = dataset.invoices.filter((invoice) => invoice.status === 'uncollectible');
    expect(recovered.length).toBeGreaterThan(20);
    expect(uncollectible.length).toBeGreaterThan(5);
    for (const invoice of [...recovered, ...uncollectible]) {
      expect(invoice.lastFailedAt).not.toBeNull();
      const lastFailedOffset =
        demoDunningScheduleDays[
          invoice.status === 'paid' ? invoice.attemptCount - 2 : invoice.attemptCount - 1
        ] ?? NaN;
      expect(invoice.lastFailedAt?.getTime()).toBe(
        invoice.createdAt.getTime() + lastFailedOffset * 86_400_000,
      );
    }
    for (const invoice of uncollectible) expect(invoice.attemptCount).toBe(demoDunningScheduleDays.length);
    for (const invoice of dataset.invoices) expect(invoice.createdAt.getTime()).toBeLessThan(anchor);
  });

  it('shows weekly seasonality: weekday means above weekend means for signups and active users', () => {
    for (const metric of ['signups', 'active_users']) {
      const series = findSeries(metric);
      const weekday: number[] = [];
      const weekend: number[] = [];
      series.values.forEach((value, index) => {
        const day = new Date(series.start.getTime() + index * 86_400_000).getUTCDay();
        (day === 0 || day === 6 ? weekend : weekday).push(value);
      });
      const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
      expect(series.values).toHaveLength(365);
      expect(mean(weekday), metric).toBeGreaterThan(1.5 * mean(weekend));
    }
  });

  it('has 5-minute API telemetry for the whole year with daily seasonality', () => {
    for (const metric of ['api_requests', 'api_errors', 'api_latency_p95_ms', 'api_latency_p50_ms']) {
      const series = findSeries(metric);
      expect(series).toMatchObject({ interval: '5m', stepMinutes: 5 });
      expect(series.values).toHaveLength(365 * 288);
      expect(series.values.every((value) => Number.isFinite(value) && value >= 0)).toBe(true);
    }
    const requests = findSeries('api_requests').values;
    const atHour = (hour: number) => requests.filter((_, index) => Math.floor((index % 288) / 12) === hour);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean(atHour(15))).toBeGreaterThan(2.5 * mean(atHour(3)));
    const firstMonth = mean(requests.slice(0, 30 * 288));
    const lastMonth = mean(requests.slice(-30 * 288));
    expect(lastMonth).toBeGreaterThan(1.2 * firstMonth);
  });

  it('numbers records uniquely and dates them before the anchor', () => {
    for (const rows of [
      dataset.customers,
      dataset.subscriptions,
      dataset.mrrChanges,
      dataset.invoices,
      dataset.supportTickets,
      dataset.deploys,
    ]) {
      const ids = rows.map((row) => row.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    for (const ticket of dataset.supportTickets) expect(ticket.createdAt.getTime()).toBeLessThan(anchor);
    for (const deploy of dataset.deploys) expect(deploy.deployedAt.getTime()).toBeLessThan(anchor);
    const customerIds = new Set(dataset.customers.map((customer) => customer.id));
    for (const row of [...dataset.subscriptions, ...dataset.mrrChanges, ...dataset.invoices])
      expect(customerIds.has(row.customerId)).toBe(true);
  });
});
