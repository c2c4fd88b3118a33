import { z } from 'zod';

/** Largest batch one ingest request may carry. */
export const maximumIngestBatchSize = 5000;

/** Largest `properties` object of one event, as serialised JSON. */
export const maximumPropertiesBytes = 16_384;

/**
 * One event as a sender submits it. `id` is the sender's idempotency key:
 * a replayed id is a duplicate and stored only once per workspace.
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
    }),
});
export type SignalEventInput = z.infer<typeof SignalEventInput>;

/** An event that passed validation, ready to be stored. */
export interface ValidSignalEvent {
  eventId: string;
  type: string;
  source: string;
  occurredAt: Date;
  properties: Record<string, unknown>;
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
export const StandardWebhookBody = z.looseObject({
  type: z.string().min(1).max(100).optional(),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type StandardWebhookBody = z.infer<typeof StandardWebhookBody>;
