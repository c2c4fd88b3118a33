import { describe, expect, it } from 'vitest';
import { computeMetricSeries } from './compute-metric-series';
import type { MrrChangeFact } from './metric-types';
import { applyEventsToDailyRollups, type RollupEvent } from './rollups';

const day = (index: number, hour = 12): Date => new Date(Date.UTC(2026, 0, 1 + index, hour));

function makeLedger(): MrrChangeFact[] {
  // Deterministic pseudo-random ledger: 30 customers over 90 days with upgrades, downgrades, churn and comebacks.
  const changes: MrrChangeFact[] = [];
  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let customer = 0; customer < 30; customer += 1) {
    let mrr = 0;
    for (let dayIndex = Math.floor(random() * 20); dayIndex < 90; dayIndex += 1 + Math.floor(random() * 15)) {
      const roll = random();
      const after = mrr === 0 ? 5000 + Math.floor(roll * 5) * 1000 : roll < 0.3 ? 0 : roll < 0.65 ? mrr + 2000 : Math.max(1000, mrr - 1000);
      if (after === mrr) continue;
      changes.push({ customerId: `c${customer}`, occurredAt: day(dayIndex, customer % 24), mrrBefore: mrr, mrrAfter: after, planKey: after > 7000 ? 'pro' : 'basic' });
      mrr = after;
    }
  }
  return changes;
}

describe('incremental daily rollups', () => {
  const ledger = makeLedger();
  const events: RollupEvent[] = [
    ...ledger.map((change): RollupEvent => ({ kind: 'mrr-change', change })),
    ...Array.from({ length: 40 }, (_, index): RollupEvent => ({ kind: 'ticket', createdAt: day(index * 2, index % 24) })),
    ...Array.from({ length: 20 }, (_, index): RollupEvent => ({ kind: 'failed-payment', occurredAt: day(index * 4) })),
    ...Array.from({ length: 90 }, (_, index): RollupEvent => ({ kind: 'point', point: { metric: 'requests', ts: day(index), value: 100 + index } })),
  ];
  const full = applyEventsToDailyRollups([], events, { customersWithRevenue: [] });

  it('folding events in three batches equals one full recompute', () => {
    const cut = (event: RollupEvent): number =>
      event.kind === 'mrr-change' ? event.change.occurredAt.getTime() : event.kind === 'point' ? event.point.ts.getTime() : 0;
    const batches = [
      events.filter((event) => cut(event) < day(30, 0).getTime()),
      events.filter((event) => cut(event) >= day(30, 0).getTime() && cut(event) < day(61, 0).getTime()),
      events.filter((event) => cut(event) >= day(61, 0).getTime()),
    ];
    let rolled = applyEventsToDailyRollups([], [], { customersWithRevenue: [] });
    for (const batch of batches) rolled = applyEventsToDailyRollups(rolled.buckets, batch, rolled.state);
    expect(rolled.buckets).toEqual(full.buckets);
    expect(rolled.state).toEqual(full.state);
    expect(full.buckets.length).toBeGreaterThan(100);
  });

  it('rollups agree with the pure metric series, movement by movement', () => {
    const from = day(0, 0);
    const to = day(90, 0);
    for (const metric of ['mrr_new', 'mrr_expansion', 'mrr_contraction', 'mrr_churn', 'mrr_reactivation']) {
      const series = computeMetricSeries({ mrrChanges: ledger }, { metric, from, to, interval: 'day' });
      const fromRollups = series.points.map(
        (point) => full.buckets.find((bucket) => bucket.metric === metric && bucket.segment === '' && bucket.ts.getTime() === point.start.getTime())?.value ?? 0,
      );
      expect(fromRollups).toEqual(series.points.map((point) => point.value));
    }
    expect(ledger.some((change) => change.mrrAfter === 0)).toBe(true);
  });

  it('does not mutate the buckets it is given', () => {
    const before = JSON.stringify(full.buckets);
    applyEventsToDailyRollups(full.buckets, [{ kind: 'ticket', createdAt: day(1) }], full.state);
    expect(JSON.stringify(full.buckets)).toBe(before);
  });
});
