import { z } from 'zod';

/** Largest batch one ingest request may carry. */
export const maximumIngestBatchSize = 5000;

/** Largest `properties` object of one event, as serialised JSON. */
export const maximumPropertiesBytes = 16_384;

/**
 * Who did something, as the sender names them: a string (1-200 characters)
 * or an integer id (stored as its decimal text). `null` means nobody.
 */
export const ActorIdInput = z
  .union([z.string().min(1).max(200), z.number().int().refine(Number.isSafeInteger)], { error: 'must be a string of 1-200 characters, an integer or null' })
  .nullable();
export type ActorIdInput = z.infer<typeof ActorIdInput>;

/** The property read as the actor when an event has no top-level `actorId` (what Segment-style senders already send). */
export const actorProperty = 'userId';

/**
 * The actor of an event: top-level `actorId`, else `properties.userId`;
 * undefined when neither names one. Values were validated by the schemas.
 */
export function resolveActorId(actorId: ActorIdInput | undefined, properties: Record<string, unknown>): string | undefined {
  const value = actorId ?? properties[actorProperty];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** Issues of a `properties.userId` that cannot name an actor (an object, a boolean, an empty string...). */
export function checkActorProperty(properties: Record<string, unknown>, context: z.RefinementCtx, path: (string | number)[]): void {
  const value = properties[actorProperty];
  if (value === undefined) return;
  const parsed = ActorIdInput.safeParse(value);
  if (parsed.success) return;
  context.addIssue({ code: 'custom', path: [...path, actorProperty], message: `${actorProperty} must be a string of 1-200 characters, an integer or null` });
}

/**
 * One event as a sender submits it. `id` is the sender's idempotency key:
 * a replayed id is a duplicate and stored only once per workspace. The
 * optional actor (`actorId`, else `properties.userId`) counts as active on
 * the event's UTC day.
 */
export const SignalEventInput = z.object({
  id: z.string().min(1).max(200),
  type: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only'),
  source: z.string().min(1).max(100),
  occurredAt: z.iso.datetime({ offset: true }),
  properties: z
    .record(z.string(), z.unknown())
    .default({})
    .refine((value) => JSON.stringify(value).length <= maximumPropertiesBytes, {
      message: `properties larger than ${maximumPropertiesBytes} bytes of JSON`,
    })
    .superRefine((value, context) => checkActorProperty(value, context, [])),
  actorId: ActorIdInput.optional(),
});
export type SignalEventInput = z.infer<typeof SignalEventInput>;

/** An event that passed validation, ready to be stored. */
export interface ValidSignalEvent {
  eventId: string;
  type: string;
  source: string;
  occurredAt: Date;
  properties: Record<string, unknown>;
  /** Who did it (raw id as sent); the store keeps only its SHA-256 per active day. */
  actorId?: string;
}

/** Why one item of a batch was refused; `index` is its position in the request. */
export interface IngestItemError {
  index: number;
  id: string | null;
  issues: { path: string; message: string }[];
}

/**
 * The answer to a batch. `accepted` were stored now, `duplicates` had been
 * stored before (same id) and were skipped, `rejected` failed validation.
 */
export const IngestResult = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(
    z.object({
      index: z.number().int(),
      id: z.string().nullable(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })),
    }),
  ),
});
export type IngestResult = z.infer<typeof IngestResult>;

/**
 * The batch body. Items are validated one by one by the service (not here),
 * so one bad item yields a per-item error instead of failing the batch parse.
 * `atomic: true` refuses the whole batch when any item is invalid.
 */
export const IngestBatchInput = z.object({
  events: z.array(z.unknown()).min(1, 'a batch needs at least one event'),
  atomic: z.boolean().default(false),
});
export type IngestBatchInput = z.infer<typeof IngestBatchInput>;

/** A Stripe event envelope; `data.object` is read field by field by the mapper. */
export const StripeEventEnvelope = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(100),
  created: z.number().int().positive(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
export type StripeEventEnvelope = z.infer<typeof StripeEventEnvelope>;

/**
 * The body of a Standard Webhooks delivery from any other source: one JSON
 * object. Its id is the `webhook-id` header; `type` defaults to "webhook",
 * `timestamp` to the signed header's, and the properties are `data` when the
 * sender wraps its payload that way, otherwise the whole body.
 */
export const StandardWebhookBody = z
  .looseObject({
    type: z.string().min(1).max(100).optional(),
    timestamp: z.iso.datetime({ offset: true }).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    actorId: ActorIdInput.optional(),
  })
  .superRefine((value, context) => checkActorProperty(value.data ?? value, context, value.data ? ['data'] : []));
export type StandardWebhookBody = z.infer<typeof StandardWebhookBody>;
