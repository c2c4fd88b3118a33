import Stripe from 'stripe';
import { z } from 'zod';
import type { GuardedFetch } from '../../guarded-fetch';
import { toIso } from '../connector';
import { toMonthlyCents, type StripeBackend, type StripeSubscription } from './tools';

export const StripeCredentials = z.object({ secretKey: z.string().min(8) });
export type StripeCredentials = z.infer<typeof StripeCredentials>;

export const StripeConfig = z.object({
  /** Overrides api.stripe.com, e.g. a local fake in tests or a proxy. */
  baseUrl: z.url().optional(),
});
export type StripeConfig = z.infer<typeof StripeConfig>;

/** Upper bound of subscriptions read for one snapshot; beyond it the snapshot says so via counts. */
const snapshotSubscriptionLimit = 5000;

export function createStripeClient(credentials: StripeCredentials, config: StripeConfig, fetchThrough?: GuardedFetch): Stripe {
  const base = config.baseUrl ? new URL(config.baseUrl) : null;
  return new Stripe(credentials.secretKey, {
    maxNetworkRetries: 0,
    timeout: 20_000,
    telemetry: false,
    ...(fetchThrough ? { httpClient: Stripe.createFetchHttpClient(fetchThrough) } : {}),
    ...(base
      ? {
          host: base.hostname,
          port: base.port === '' ? (base.protocol === 'http:' ? 80 : 443) : Number(base.port),
          protocol: base.protocol === 'http:' ? 'http' : 'https',
        }
      : {}),
  });
}

function customerIdOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : value.id;
}

function describeSubscription(subscription: Stripe.Subscription): StripeSubscription {
  let amountCents = 0;
  let monthlyAmountCents = 0;
  const firstPrice = subscription.items.data[0]?.price;
  for (const item of subscription.items.data) {
    const unit = item.price.unit_amount ?? 0;
    const quantity = item.quantity ?? 1;
    amountCents += unit * quantity;
    monthlyAmountCents += toMonthlyCents(unit * quantity, item.price.recurring?.interval ?? null, item.price.recurring?.interval_count ?? 1);
  }
  return {
    id: subscription.id,
    customerId: customerIdOf(subscription.customer),
    status: subscription.status,
    planKey: firstPrice?.lookup_key ?? firstPrice?.id ?? null,
    interval: firstPrice?.recurring?.interval ?? null,
    amountCents,
    monthlyAmountCents,
    startedAt: toIso(subscription.start_date),
    canceledAt: toIso(subscription.canceled_at),
  };
}

/** Stripe through its official SDK with the workspace's own secret key. */
export function createStripeLiveBackend(credentials: StripeCredentials, config: StripeConfig, clock: () => Date, fetchThrough?: GuardedFetch): StripeBackend {
  const stripe = createStripeClient(credentials, config, fetchThrough);
  return {
    async listCustomers(query) {
      const page = await stripe.customers.list({ limit: query.limit, ...(query.email ? { email: query.email } : {}) });
      return {
        customers: page.data.map((customer) => ({
          id: customer.id,
          name: customer.name ?? null,
          email: customer.email ?? null,
          createdAt: toIso(customer.created),
        })),
        hasMore: page.has_more,
      };
    },
    async listFailedInvoices(query) {
      const page = await stripe.invoices.list({
        status: 'open',
        limit: query.limit,
        ...(query.since ? { created: { gte: Math.floor(query.since.getTime() / 1000) } } : {}),
      });
      const failed = page.data.filter((invoice) => invoice.attempt_count > 0);
      return {
        invoices: failed.map((invoice) => ({
          id: invoice.id ?? '',
          customerId: customerIdOf(invoice.customer),
          amountDueCents: invoice.amount_due,
          currency: invoice.currency,
          status: invoice.status ?? 'open',
          attemptCount: invoice.attempt_count,
          createdAt: toIso(invoice.created),
        })),
        hasMore: page.has_more,
      };
    },
    async getSubscription(subscriptionId) {
      try {
        return describeSubscription(await stripe.subscriptions.retrieve(subscriptionId));
      } catch (error) {
        if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return null;
        throw error;
      }
    },
    async getRevenueSnapshot() {
      const counts = { active: 0, past_due: 0, trialing: 0 };
      let mrrCents = 0;
      let seen = 0;
      for await (const subscription of stripe.subscriptions.list({ status: 'all', limit: 100 })) {
        if (++seen > snapshotSubscriptionLimit) break;
        const status = subscription.status;
        if (status === 'active' || status === 'past_due') mrrCents += describeSubscription(subscription).monthlyAmountCents;
        if (status === 'active') counts.active += 1;
        else if (status === 'past_due') counts.past_due += 1;
        else if (status === 'trialing') counts.trialing += 1;
      }
      const failed = await this.listFailedInvoices({ limit: 100 });
      return {
        mrrCents,
        arrCents: mrrCents * 12,
        activeSubscriptions: counts.active,
        pastDueSubscriptions: counts.past_due,
        trialingSubscriptions: counts.trialing,
        failedInvoiceCount: failed.invoices.length,
        failedInvoiceAmountCents: failed.invoices.reduce((total, invoice) => total + invoice.amountDueCents, 0),
        asOf: clock().toISOString(),
      };
    },
    async refundPayment(input, context) {
      const target = input.paymentId.startsWith('ch_') ? { charge: input.paymentId } : { payment_intent: input.paymentId };
      // Stripe itself dedupes on Idempotency-Key for 24 h, so a retried action never refunds twice.
      const refund = await stripe.refunds.create(
        { ...target, ...(input.amountCents ? { amount: input.amountCents } : {}), ...(input.reason ? { reason: input.reason } : {}) },
        context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {},
      );
      return {
        id: refund.id,
        status: refund.status ?? 'pending',
        amountCents: refund.amount,
        paymentId: input.paymentId,
        sandbox: false,
        duplicate: false,
      };
    },
  };
}
