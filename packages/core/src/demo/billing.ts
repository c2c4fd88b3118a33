import { addDays } from './calendar';
import { isInside, type TimeWindow } from './incidents';
import type { Random } from './random';
import type { DemoInvoice } from './types';

/**
 * Days after an invoice is created on which payment is attempted: the first
 * charge, then three dunning retries. Attempt k happens exactly at
 * `createdAt + demoDunningScheduleDays[k]`, so failed attempts can be
 * reconstructed from `attemptCount` and the invoice status.
 */
export const demoDunningScheduleDays: readonly number[] = [0, 3, 5, 7];

const firstAttemptFailure = 0.03;
const firstAttemptFailureDuringOutage = 0.6;
/** Chance that retry 1, 2, 3 succeeds after ordinary card trouble. */
const retrySuccess = [0.5, 0.45, 0.35];
/** Outage declines were not the card's fault: nearly all clear on the first retry. */
const retrySuccessAfterOutage = [0.95, 0.6, 0.5];

export interface BillingContext {
  workspaceId: string;
  anchor: number;
  paymentOutage: TimeWindow;
  nextInvoiceNumber(): number;
}

export type BillingOutcome =
  | { kind: 'paid' }
  | { kind: 'dunning_at_anchor'; lastFailedAt: Date | null }
  | { kind: 'uncollectible'; at: Date };

/** Bills one period at `at`, runs dunning up to the anchor, and records the invoice. */
export function billPeriod(
  context: BillingContext,
  invoice: { customerId: string; amount: number; at: Date },
  random: Random,
  invoices: DemoInvoice[],
): BillingOutcome {
  const number = context.nextInvoiceNumber();
  const record: DemoInvoice = {
    id: `${context.workspaceId}_inv_${String(number).padStart(6, '0')}`,
    workspaceId: context.workspaceId,
    customerId: invoice.customerId,
    externalId: `in_demo_${String(number).padStart(6, '0')}`,
    amount: invoice.amount,
    currency: 'usd',
    status: 'open',
    attemptCount: 0,
    dueAt: invoice.at,
    paidAt: null,
    lastFailedAt: null,
    createdAt: invoice.at,
  };
  invoices.push(record);
  const outage = isInside(context.paymentOutage, invoice.at.getTime());
  const retries = outage ? retrySuccessAfterOutage : retrySuccess;
  for (const [attempt, offsetDays] of demoDunningScheduleDays.entries()) {
    const attemptAt = addDays(invoice.at, offsetDays);
    if (attemptAt.getTime() >= context.anchor)
      return { kind: 'dunning_at_anchor', lastFailedAt: record.lastFailedAt };
    record.attemptCount = attempt + 1;
    const succeeds =
      attempt === 0
        ? !random.chance(outage ? firstAttemptFailureDuringOutage : firstAttemptFailure)
        : random.chance(retries[attempt - 1] ?? 0);
    if (succeeds) {
      record.status = 'paid';
      record.paidAt = attemptAt;
      return { kind: 'paid' };
    }
    record.status = 'failed';
    record.lastFailedAt = attemptAt;
  }
  record.status = 'uncollectible';
  return { kind: 'uncollectible', at: record.lastFailedAt ?? invoice.at };
}

/**
 * Times of an invoice's failed payment attempts, reconstructed from the
 * dunning schedule: a paid invoice failed every attempt but its last, a
 * failed or uncollectible one failed them all.
 */
export function failedPaymentAttempts(
  invoice: Pick<DemoInvoice, 'status' | 'attemptCount' | 'createdAt'>,
): Date[] {
  const failedCount =
    invoice.status === 'paid'
      ? invoice.attemptCount - 1
      : invoice.status === 'failed' || invoice.status === 'uncollectible'
        ? invoice.attemptCount
        : 0;
  return demoDunningScheduleDays
    .slice(0, Math.max(0, failedCount))
    .map((days) => addDays(invoice.createdAt, days));
}
