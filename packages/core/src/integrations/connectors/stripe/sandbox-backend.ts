import { toIso } from '../connector';
import type { SandboxDataPort, SandboxSubscription } from '../../sandbox-port';
import { toMonthlyCents, type StripeBackend, type StripeSubscription } from './tools';

function describeSubscription(subscription: SandboxSubscription): StripeSubscription {
  return {
    id: subscription.externalId,
    customerId: subscription.customerExternalId,
    status: subscription.status,
    planKey: subscription.planKey,
    interval: subscription.interval,
    amountCents: subscription.amount,
    monthlyAmountCents: toMonthlyCents(subscription.amount, subscription.interval),
    startedAt: toIso(subscription.startedAt),
    canceledAt: toIso(subscription.canceledAt),
  };
}

/** Stripe answered from the workspace's billing tables; refunds land in the sandbox outbox. */
export function createStripeSandboxBackend(workspaceId: string, sandbox: SandboxDataPort, clock: () => Date): StripeBackend {
  return {
    async listCustomers(query) {
      const rows = await sandbox.listCustomers(workspaceId, { limit: query.limit + 1, ...(query.email ? { email: query.email } : {}) });
      return {
        customers: rows.slice(0, query.limit).map((row) => ({
          id: row.externalId,
          name: row.name,
          email: row.email,
          createdAt: toIso(row.createdAt),
        })),
        hasMore: rows.length > query.limit,
      };
    },
    async listFailedInvoices(query) {
      const rows = await sandbox.listFailedInvoices(workspaceId, { limit: query.limit + 1, ...(query.since ? { since: query.since } : {}) });
      return {
        invoices: rows.slice(0, query.limit).map((row) => ({
          id: row.externalId,
          customerId: row.customerExternalId,
          amountDueCents: row.amount,
          currency: row.currency,
          status: row.status,
          attemptCount: row.attemptCount,
          createdAt: toIso(row.createdAt),
        })),
        hasMore: rows.length > query.limit,
      };
    },
    async getSubscription(subscriptionId) {
      const row = await sandbox.findSubscription(workspaceId, subscriptionId);
      return row ? describeSubscription(row) : null;
    },
    async getRevenueSnapshot() {
      const rows = await sandbox.listSubscriptions(workspaceId, { statuses: ['active', 'past_due', 'trialing'] });
      const failed = await sandbox.listFailedInvoices(workspaceId, { limit: 10_000 });
      const paying = rows.filter((row) => row.status === 'active' || row.status === 'past_due');
      const mrrCents = paying.reduce((total, row) => total + toMonthlyCents(row.amount, row.interval), 0);
      return {
        mrrCents,
        arrCents: mrrCents * 12,
        activeSubscriptions: rows.filter((row) => row.status === 'active').length,
        pastDueSubscriptions: rows.filter((row) => row.status === 'past_due').length,
        trialingSubscriptions: rows.filter((row) => row.status === 'trialing').length,
        failedInvoiceCount: failed.length,
        failedInvoiceAmountCents: failed.reduce((total, row) => total + row.amount, 0),
        asOf: clock().toISOString(),
      };
    },
    async refundPayment(input, context) {
      const { entry, duplicate } = await sandbox.writeOutbox({
        workspaceId,
        connector: 'stripe',
        action: 'refund_payment',
        payload: { ...input },
        idempotencyKey: context.idempotencyKey,
      });
      return {
        id: `re_sandbox_${entry.id}`,
        status: 'succeeded',
        amountCents: input.amountCents ?? null,
        paymentId: input.paymentId,
        sandbox: true,
        duplicate,
      };
    },
  };
}
