import { z } from 'zod';
import { defineTool, maxListLimit, readOnlyVendorTool, type ToolRunContext } from '../connector';

export const StripeCustomer = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  createdAt: z.string().nullable(),
});
export type StripeCustomer = z.infer<typeof StripeCustomer>;

export const StripeFailedInvoice = z.object({
  id: z.string(),
  customerId: z.string().nullable(),
  amountDueCents: z.number().int(),
  currency: z.string(),
  status: z.string(),
  attemptCount: z.number().int(),
  createdAt: z.string().nullable(),
});
export type StripeFailedInvoice = z.infer<typeof StripeFailedInvoice>;

export const StripeSubscription = z.object({
  id: z.string(),
  customerId: z.string().nullable(),
  status: z.string(),
  planKey: z.string().nullable(),
  interval: z.string().nullable(),
  amountCents: z.number().int(),
  monthlyAmountCents: z.number().int(),
  startedAt: z.string().nullable(),
  canceledAt: z.string().nullable(),
});
export type StripeSubscription = z.infer<typeof StripeSubscription>;

export const RevenueSnapshot = z.object({
  mrrCents: z.number().int(),
  arrCents: z.number().int(),
  activeSubscriptions: z.number().int(),
  pastDueSubscriptions: z.number().int(),
  trialingSubscriptions: z.number().int(),
  failedInvoiceCount: z.number().int(),
  failedInvoiceAmountCents: z.number().int(),
  asOf: z.string(),
});
export type RevenueSnapshot = z.infer<typeof RevenueSnapshot>;

export const RefundPaymentInput = z.object({
  paymentId: z.string().min(3).describe('A PaymentIntent id (pi_...) or a Charge id (ch_...)'),
  amountCents: z.number().int().positive().optional().describe('Partial refund amount; omit for a full refund'),
  reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
});
export type RefundPaymentInput = z.infer<typeof RefundPaymentInput>;

export const StripeRefund = z.object({
  id: z.string(),
  status: z.string(),
  amountCents: z.number().int().nullable(),
  paymentId: z.string(),
  sandbox: z.boolean(),
  duplicate: z.boolean(),
});
export type StripeRefund = z.infer<typeof StripeRefund>;

/** What both Stripe backends (live SDK, sandbox demo data) implement. */
export interface StripeBackend {
  listCustomers(query: { limit: number; email?: string }): Promise<{ customers: StripeCustomer[]; hasMore: boolean }>;
  listFailedInvoices(query: { limit: number; since?: Date }): Promise<{ invoices: StripeFailedInvoice[]; hasMore: boolean }>;
  getSubscription(subscriptionId: string): Promise<StripeSubscription | null>;
  getRevenueSnapshot(): Promise<RevenueSnapshot>;
  refundPayment(input: RefundPaymentInput, context: ToolRunContext): Promise<StripeRefund>;
}

/** Normalises a per-interval amount to a monthly one (annual / 12), as MRR is defined. */
export function toMonthlyCents(amountCents: number, interval: string | null, intervalCount = 1): number {
  const count = Math.max(1, intervalCount);
  switch (interval) {
    case 'year':
      return Math.round(amountCents / (12 * count));
    case 'week':
      return Math.round((amountCents * 52) / (12 * count));
    case 'day':
      return Math.round((amountCents * 365) / (12 * count));
    case 'month':
    case null:
    default:
      return Math.round(amountCents / count);
  }
}

export const stripeTools = [
  defineTool({
    name: 'list_customers',
    title: 'List customers',
    description: 'Lists Stripe customers, newest first, optionally filtered by exact email.',
    inputSchema: z.object({ limit: z.number().int().min(1).max(maxListLimit).default(20), email: z.string().optional() }),
    outputSchema: z.object({ customers: z.array(StripeCustomer), hasMore: z.boolean() }),
    annotations: readOnlyVendorTool,
    run: (backend: StripeBackend, input) => backend.listCustomers(input),
  }),
  defineTool({
    name: 'list_failed_invoices',
    title: 'List failed invoices',
    description: 'Lists open invoices whose payment attempts failed (dunning), newest first.',
    inputSchema: z.object({
      limit: z.number().int().min(1).max(maxListLimit).default(20),
      since: z.iso.datetime().optional().describe('Only invoices created at or after this instant'),
    }),
    outputSchema: z.object({ invoices: z.array(StripeFailedInvoice), hasMore: z.boolean() }),
    annotations: readOnlyVendorTool,
    run: (backend: StripeBackend, input) =>
      backend.listFailedInvoices({ limit: input.limit, ...(input.since ? { since: new Date(input.since) } : {}) }),
  }),
  defineTool({
    name: 'get_subscription',
    title: 'Subscription detail',
    description: 'Returns one subscription with its plan, status and monthly amount.',
    inputSchema: z.object({ subscriptionId: z.string().min(1) }),
    outputSchema: z.object({ subscription: StripeSubscription.nullable() }),
    annotations: readOnlyVendorTool,
    run: async (backend: StripeBackend, input) => ({ subscription: await backend.getSubscription(input.subscriptionId) }),
  }),
  defineTool({
    name: 'get_revenue_snapshot',
    title: 'Revenue snapshot',
    description: 'MRR and ARR from active and past-due subscriptions (annual plans / 12), plus failed-invoice exposure.',
    inputSchema: z.object({}),
    outputSchema: RevenueSnapshot,
    annotations: readOnlyVendorTool,
    run: (backend: StripeBackend) => backend.getRevenueSnapshot(),
  }),
  defineTool({
    name: 'refund_payment',
    title: 'Refund a payment',
    description: 'Refunds a payment in full or in part. Moves money: needs an approved action. Pass an idempotency key.',
    inputSchema: RefundPaymentInput,
    outputSchema: StripeRefund,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    run: (backend: StripeBackend, input, context) => backend.refundPayment(input, context),
  }),
];
