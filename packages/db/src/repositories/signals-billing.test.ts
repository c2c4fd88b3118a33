import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isAppError } from '@opspilot/core/errors';
import { applyStripeEvent, readMetricSeries } from '@opspilot/core/signals';
import { openDatabase, type Database } from '../client';
import { inMemoryDataDir } from '../config';
import { applyMigrations } from '../migrate/apply-migrations';
import { createSignalsStores } from './signals-repositories';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const workspaceId = 'ws-stripe';
const day = (n: number) => Math.floor(Date.UTC(2026, 2, n, 10) / 1000);

function subscription(options: { id: string; customer: string; status: string; quantity: number; unitAmount: number; interval?: string; lookupKey?: string; percentOff?: number }) {
  return {
    id: options.id,
    object: 'subscription',
    customer: options.customer,
    status: options.status,
    start_date: day(1),
    trial_start: null,
    trial_end: null,
    canceled_at: options.status === 'canceled' ? day(20) : null,
    ended_at: options.status === 'canceled' ? day(20) : null,
    discount: options.percentOff ? { coupon: { percent_off: options.percentOff } } : null,
    items: {
      object: 'list',
      data: [{ quantity: options.quantity, price: { id: 'price_x', lookup_key: options.lookupKey ?? 'growth', unit_amount: options.unitAmount, recurring: { interval: options.interval ?? 'month' } } }],
    },
  };
}

function event(id: string, type: string, created: number, object: Record<string, unknown>) {
  return { id, object: 'event', type, created, livemode: false, data: { object } };
}

describe('Stripe events into billing facts (PGlite)', () => {
  let db: Database;
  let deps: ReturnType<typeof createSignalsStores>;
  beforeAll(async () => {
    db = await openDatabase({ mode: 'embedded', dataDir: inMemoryDataDir });
    await applyMigrations(db);
    await db.execute(`INSERT INTO "Workspace" ("id", "name", "slug", "updatedAt") VALUES ($1, $1, $1, now())`, [workspaceId]);
    deps = createSignalsStores(db);
  });
  afterAll(async () => db.close());

  const ledger = () =>
    db.query<{ mrrBefore: number; mrrAfter: number; planKey: string; sourceEvent: string }>(
      `SELECT m."mrrBefore", m."mrrAfter", m."planKey", m."sourceEvent" FROM "MrrChange" m JOIN "Customer" c ON c."id" = m."customerId"
        WHERE m."workspaceId" = $1 AND c."externalId" = $2 ORDER BY m."occurredAt"`,
      [workspaceId, 'cus_1'],
    );

  it('creates the customer and appends new and expansion MRR to the ledger', async () => {
    await applyStripeEvent(deps, workspaceId, event('evt_c1', 'customer.created', day(1), { id: 'cus_1', name: 'Acme', email: 'a@acme.test', created: day(1), address: { country: 'DE' } }));
    await applyStripeEvent(deps, workspaceId, event('evt_s1', 'customer.subscription.created', day(1), subscription({ id: 'sub_1', customer: 'cus_1', status: 'active', quantity: 1, unitAmount: 5000 })));
    await applyStripeEvent(deps, workspaceId, event('evt_s2', 'customer.subscription.updated', day(5), subscription({ id: 'sub_1', customer: 'cus_1', status: 'active', quantity: 2, unitAmount: 5000 })));
    expect(await ledger()).toEqual([
      { mrrBefore: 0, mrrAfter: 5000, planKey: 'growth', sourceEvent: 'evt_s1' },
      { mrrBefore: 5000, mrrAfter: 10000, planKey: 'growth', sourceEvent: 'evt_s2' },
    ]);
    const [customer] = await db.query<{ name: string; email: string; country: string }>(`SELECT "name", "email", "country" FROM "Customer" WHERE "externalId" = 'cus_1'`);
    expect(customer).toEqual({ name: 'Acme', email: 'a@acme.test', country: 'DE' });
  });

  it('ignores a redelivered event and a stale (older) subscription state', async () => {
    const again = await applyStripeEvent(deps, workspaceId, event('evt_s2', 'customer.subscription.updated', day(5), subscription({ id: 'sub_1', customer: 'cus_1', status: 'active', quantity: 2, unitAmount: 5000 })));
    expect(again.duplicate).toBe(true);
    const stale = await applyStripeEvent(deps, workspaceId, event('evt_s_old', 'customer.subscription.updated', day(3), subscription({ id: 'sub_1', customer: 'cus_1', status: 'active', quantity: 3, unitAmount: 5000 })));
    expect(stale.duplicate).toBe(false);
    expect(await ledger()).toHaveLength(2);
    const [row] = await db.query<{ amount: number }>(`SELECT "amount" FROM "Subscription" WHERE "externalId" = 'sub_1'`);
    expect(row?.amount).toBe(10000);
  });

  it('records failed and paid invoices; a late failure notice does not undo a payment', async () => {
    const invoice = { id: 'in_1', customer: 'cus_1', amount_due: 10000, currency: 'eur', attempt_count: 1, created: day(6), due_date: null, status_transitions: { paid_at: null } };
    await applyStripeEvent(deps, workspaceId, event('evt_i1', 'invoice.payment_failed', day(6), invoice));
    let [row] = await db.query<{ status: string; attemptCount: number; failed: boolean }>(`SELECT "status", "attemptCount", "lastFailedAt" IS NOT NULL AS "failed" FROM "Invoice" WHERE "externalId" = 'in_1'`);
    expect(row).toEqual({ status: 'failed', attemptCount: 1, failed: true });
    await applyStripeEvent(deps, workspaceId, event('evt_i2', 'invoice.paid', day(9), { ...invoice, attempt_count: 2, status_transitions: { paid_at: day(9) } }));
    await applyStripeEvent(deps, workspaceId, event('evt_i3', 'invoice.payment_failed', day(8), { ...invoice, attempt_count: 2 }));
    [row] = await db.query(`SELECT "status", "attemptCount", "lastFailedAt" IS NOT NULL AS "failed" FROM "Invoice" WHERE "externalId" = 'in_1'`);
    expect(row).toEqual({ status: 'paid', attemptCount: 2, failed: true });
  });

  it('books a canceled subscription as churn and normalises a discounted annual plan', async () => {
    await applyStripeEvent(deps, workspaceId, event('evt_s3', 'customer.subscription.deleted', day(20), subscription({ id: 'sub_1', customer: 'cus_1', status: 'canceled', quantity: 2, unitAmount: 5000 })));
    expect((await ledger()).at(-1)).toEqual({ mrrBefore: 10000, mrrAfter: 0, planKey: 'growth', sourceEvent: 'evt_s3' });
    // cus_2 was never announced: a placeholder customer is created so the subscription is not lost.
    await applyStripeEvent(deps, workspaceId, event('evt_s4', 'customer.subscription.created', day(10), subscription({ id: 'sub_2', customer: 'cus_2', status: 'active', quantity: 1, unitAmount: 120000, interval: 'year', lookupKey: 'scale', percentOff: 10 })));
    const [change] = await db.query<{ mrrAfter: number }>(`SELECT "mrrAfter" FROM "MrrChange" WHERE "sourceEvent" = 'evt_s4'`);
    expect(change?.mrrAfter).toBe(9000);
  });

  it('feeds the metric API: March MRR movements from the webhook ledger', async () => {
    const series = await readMetricSeries(deps, workspaceId, { metric: 'mrr', from: new Date(Date.UTC(2026, 2, 1)), to: new Date(Date.UTC(2026, 3, 1)), interval: 'month' });
    expect(series.points[0]?.movements).toEqual({ start: 0, new: 14000, expansion: 5000, contraction: 0, churn: 10000, reactivation: 0, end: 9000 });
    expect(series.definition.formula).toContain('end = start + new');
  });

  it('refuses a body that is not a Stripe event and stores nothing', async () => {
    const error = await applyStripeEvent(deps, workspaceId, { id: 'evt_bad', type: 'x' }).then(() => null, (caught: unknown) => caught);
    expect(isAppError(error) && error.code).toBe('BAD_REQUEST');
    const [row] = await db.query<{ count: string | number }>(`SELECT COUNT(*) AS "count" FROM "SignalEvent" WHERE "eventId" = 'stripe:evt_bad'`);
    expect(Number(row?.count)).toBe(0);
  });
});
