import { AppError } from '../errors';
import { StripeEventEnvelope, type ValidSignalEvent } from './ingest-schemas';
import type { BillingSubscription, BillingWriter, SignalsDeps, SubscriptionStatusValue } from './signals-ports';

type StripeObject = Record<string, unknown>;

function objectAt(value: unknown): StripeObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as StripeObject) : null;
}

function stringAt(object: StripeObject | null, key: string): string | null {
  const value = object?.[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function numberAt(object: StripeObject | null, key: string): number | null {
  const value = object?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function dateAt(object: StripeObject | null, key: string): Date | null {
  const seconds = numberAt(object, key);
  return seconds === null ? null : new Date(seconds * 1000);
}

/** An id field that Stripe sends either as a string or as an expanded object. */
function idAt(object: StripeObject | null, key: string): string | null {
  return stringAt(object, key) ?? stringAt(objectAt(object?.[key]), 'id');
}

function requireId(object: StripeObject, key: string, eventType: string): string {
  const id = idAt(object, key);
  if (!id) throw new AppError('BAD_REQUEST', `Stripe ${eventType} event has no ${key}`);
  return id;
}

/**
 * Stripe statuses onto ours. Only active and past_due count as MRR
 * (dunning keeps revenue until the subscription is canceled); incomplete
 * (first payment pending) is treated like a trial, paused like canceled.
 */
function mapSubscriptionStatus(status: string | null): SubscriptionStatusValue {
  switch (status) {
    case 'trialing':
    case 'incomplete':
      return 'trialing';
    case 'active':
      return 'active';
    case 'past_due':
    case 'unpaid':
      return 'past_due';
    case null:
    default:
      return 'canceled';
  }
}

/** Sum of the items' price x quantity for one billing interval, net of a percent or amount discount. */
function readSubscriptionPrice(subscription: StripeObject): { amount: number; interval: 'month' | 'year'; planKey: string } {
  const items = (objectAt(subscription.items)?.data as unknown[] | undefined) ?? [];
  let amount = 0;
  let interval: 'month' | 'year' = 'month';
  let planKey: string | null = null;
  for (const item of items.map(objectAt)) {
    const price = objectAt(item?.price) ?? objectAt(item?.plan);
    const recurring = objectAt(price?.recurring);
    const itemInterval = stringAt(recurring, 'interval') ?? stringAt(price, 'interval');
    if (itemInterval === 'year') interval = 'year';
    amount += (numberAt(price, 'unit_amount') ?? numberAt(price, 'amount') ?? 0) * (numberAt(item, 'quantity') ?? 1);
    planKey ??= stringAt(price, 'lookup_key') ?? stringAt(price, 'nickname') ?? idAt(price, 'product') ?? stringAt(price, 'id');
  }
  const coupon = objectAt(objectAt(subscription.discount)?.coupon);
  const percentOff = numberAt(coupon, 'percent_off');
  const amountOff = numberAt(coupon, 'amount_off');
  if (percentOff !== null) amount = Math.round(amount * (1 - percentOff / 100));
  else if (amountOff !== null) amount = Math.max(0, amount - amountOff);
  return { amount, interval, planKey: planKey ?? 'unknown' };
}

/** Normalised monthly revenue of a customer's subscriptions (annual / 12). */
export function computeCustomerMrr(subscriptions: readonly Pick<BillingSubscription, 'interval' | 'status' | 'amount'>[]): number {
  return Math.round(
    subscriptions
      .filter((subscription) => subscription.status === 'active' || subscription.status === 'past_due')
      .reduce((total, subscription) => total + (subscription.interval === 'year' ? subscription.amount / 12 : subscription.amount), 0),
  );
}

async function applyCustomer(writer: BillingWriter, customer: StripeObject, eventAt: Date): Promise<void> {
  const address = objectAt(customer.address);
  await writer.upsertCustomer({
    externalId: requireId(customer, 'id', 'customer'),
    name: stringAt(customer, 'name') ?? stringAt(customer, 'email') ?? requireId(customer, 'id', 'customer'),
    email: stringAt(customer, 'email'),
    country: stringAt(address, 'country'),
    createdAt: dateAt(customer, 'created') ?? eventAt,
  });
}

async function applySubscription(writer: BillingWriter, subscription: StripeObject, event: { id: string; at: Date }): Promise<void> {
  const customerId = await writer.resolveCustomer(requireId(subscription, 'customer', 'customer.subscription'), event.at);
  const price = readSubscriptionPrice(subscription);
  const applied = await writer.upsertSubscription({
    externalId: requireId(subscription, 'id', 'customer.subscription'),
    customerId,
    ...price,
    status: mapSubscriptionStatus(stringAt(subscription, 'status')),
    trialStart: dateAt(subscription, 'trial_start'),
    trialEnd: dateAt(subscription, 'trial_end'),
    startedAt: dateAt(subscription, 'start_date') ?? dateAt(subscription, 'created') ?? event.at,
    canceledAt: dateAt(subscription, 'canceled_at'),
    endedAt: dateAt(subscription, 'ended_at'),
    observedAt: event.at,
  });
  if (!applied) return;
  const mrrBefore = await writer.readCustomerMrr(customerId);
  const mrrAfter = computeCustomerMrr(await writer.listSubscriptions(customerId));
  if (mrrAfter === mrrBefore) return;
  await writer.appendMrrChange({ customerId, occurredAt: event.at, mrrBefore, mrrAfter, planKey: price.planKey, sourceEvent: event.id });
}

async function applyInvoice(writer: BillingWriter, invoice: StripeObject, event: { type: string; at: Date }): Promise<void> {
  const failed = event.type === 'invoice.payment_failed';
  const created = dateAt(invoice, 'created') ?? event.at;
  await writer.upsertInvoice({
    externalId: requireId(invoice, 'id', event.type),
    customerId: await writer.resolveCustomer(requireId(invoice, 'customer', event.type), event.at),
    amount: numberAt(invoice, 'amount_due') ?? numberAt(invoice, 'total') ?? 0,
    currency: stringAt(invoice, 'currency') ?? 'usd',
    status: failed ? 'failed' : 'paid',
    attemptCount: numberAt(invoice, 'attempt_count') ?? (failed ? 1 : 0),
    dueAt: dateAt(invoice, 'due_date') ?? created,
    paidAt: failed ? null : (dateAt(objectAt(invoice.status_transitions), 'paid_at') ?? event.at),
    lastFailedAt: failed ? event.at : null,
    createdAt: created,
  });
}

/** Event types that change billing facts; any other verified event is recorded and otherwise ignored. */
export const mappedStripeEventTypes = [
  'customer.created',
  'customer.updated',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'invoice.payment_failed',
  'invoice.paid',
  'invoice.payment_succeeded',
] as const;

async function mapStripeEvent(writer: BillingWriter, event: StripeEventEnvelope): Promise<void> {
  const object = event.data.object;
  const at = new Date(event.created * 1000);
  if (event.type === 'customer.created' || event.type === 'customer.updated') return applyCustomer(writer, object, at);
  if (event.type.startsWith('customer.subscription.')) return applySubscription(writer, object, { id: event.id, at });
  if (event.type === 'invoice.payment_failed' || event.type === 'invoice.paid' || event.type === 'invoice.payment_succeeded') {
    return applyInvoice(writer, object, { type: event.type, at });
  }
}

/**
 * Applies one verified Stripe event to the billing facts (Customer,
 * Subscription, MrrChange ledger, Invoice), deduplicated on the event id in
 * the same transaction as the writes: Stripe retries for days, out of order
 * and with duplicates. Returns `duplicate: true` when it was applied before.
 * A body that is not a Stripe event is a BAD_REQUEST and nothing is stored.
 */
export async function applyStripeEvent(
  deps: Pick<SignalsDeps, 'billing'>,
  workspaceId: string,
  body: unknown,
): Promise<{ eventId: string; type: string; duplicate: boolean }> {
  const parsed = StripeEventEnvelope.safeParse(body);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', 'The body is not a Stripe event (id, type, created, data.object)', {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  const event = parsed.data;
  const stored: ValidSignalEvent = {
    eventId: `stripe:${event.id}`,
    type: event.type,
    source: 'stripe',
    occurredAt: new Date(event.created * 1000),
    properties: { object: event.data.object },
  };
  const applied = await deps.billing.applyBillingEvent(workspaceId, stored, (writer) => mapStripeEvent(writer, event));
  return { eventId: event.id, type: event.type, duplicate: !applied };
}
