import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';

/** Stripe's and Standard Webhooks' replay window. */
export const webhookToleranceSeconds = 300;

function secondsOf(now: Date): number {
  return Math.floor(now.getTime() / 1000);
}

function equalConstantTime(left: Buffer, right: Buffer): boolean {
  // timingSafeEqual throws on different lengths; the length of a MAC is not a secret.
  return left.length === right.length && timingSafeEqual(left, right);
}

function checkTimestamp(timestamp: number, now: Date, toleranceSeconds: number): void {
  if (Math.abs(secondsOf(now) - timestamp) > toleranceSeconds) {
    throw new AppError('UNAUTHORIZED', `Webhook timestamp ${timestamp} is outside the ${toleranceSeconds} s tolerance (replayed or clock skew)`);
  }
}

export interface VerifyStripeSignatureOptions {
  /** The raw request body, exactly as received. */
  payload: string | Uint8Array;
  /** The `Stripe-Signature` header: `t=<unix>,v1=<hex>[,v1=<hex>...]`. */
  header: string | null;
  secret: string;
  now: Date;
  toleranceSeconds?: number;
}

/**
 * Verifies a Stripe webhook: v1 = HMAC-SHA256(secret, "<t>.<raw body>") in hex,
 * any of the v1 entries may match (secret rolling), compared in constant time,
 * with a 300 s tolerance on t. Throws BAD_REQUEST for a malformed header and
 * UNAUTHORIZED for a wrong signature or a stale timestamp.
 */
export function verifyStripeSignature(options: VerifyStripeSignatureOptions): void {
  const { header, secret, now } = options;
  if (!header) throw new AppError('BAD_REQUEST', 'Missing Stripe-Signature header');
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (timestamp === null || signatures.length === 0) {
    throw new AppError('BAD_REQUEST', 'Malformed Stripe-Signature header: expected t=<unix seconds>,v1=<hex HMAC-SHA256>');
  }
  const payload = typeof options.payload === 'string' ? Buffer.from(options.payload, 'utf8') : Buffer.from(options.payload);
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest();
  const matches = signatures.some((signature) => equalConstantTime(Buffer.from(signature, 'hex'), expected));
  if (!matches) throw new AppError('UNAUTHORIZED', 'Stripe-Signature does not match the payload and the signing secret');
  checkTimestamp(timestamp, now, options.toleranceSeconds ?? webhookToleranceSeconds);
}

/** Signs like Stripe does, for tests and local senders: returns the `Stripe-Signature` header value. */
export function signStripePayload(payload: string, secret: string, timestampSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`).digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

export interface StandardWebhookHeaders {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
}

export interface VerifyStandardWebhookOptions {
  payload: string | Uint8Array;
  headers: StandardWebhookHeaders;
  /** `whsec_<base64 key>`; the base64 key itself is also accepted. */
  secret: string;
  now: Date;
  toleranceSeconds?: number;
}

/** Decodes a `whsec_` secret into the HMAC key bytes. */
export function decodeStandardWebhookSecret(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new AppError('INTERNAL', 'The webhook signing secret is not whsec_<base64>');
  return Buffer.from(encoded, 'base64');
}

/**
 * Verifies a Standard Webhooks delivery: signature "v1,<base64 HMAC-SHA256>"
 * (several, space separated, any may match) over "<id>.<timestamp>.<body>",
 * 5 minute tolerance. Throws BAD_REQUEST for missing or malformed headers and
 * UNAUTHORIZED for a wrong signature or a stale timestamp.
 */
export function verifyStandardWebhook(options: VerifyStandardWebhookOptions): void {
  const { id, timestamp, signature } = options.headers;
  if (!id || !timestamp || !signature) {
    throw new AppError('BAD_REQUEST', 'Missing webhook-id, webhook-timestamp or webhook-signature header');
  }
  if (!/^\d{1,12}$/.test(timestamp)) throw new AppError('BAD_REQUEST', 'webhook-timestamp must be Unix seconds');
  const candidates = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  if (candidates.length === 0) throw new AppError('BAD_REQUEST', 'webhook-signature has no v1,<base64> entry');
  const payload = typeof options.payload === 'string' ? Buffer.from(options.payload, 'utf8') : Buffer.from(options.payload);
  const expected = createHmac('sha256', decodeStandardWebhookSecret(options.secret)).update(`${id}.${timestamp}.`).update(payload).digest();
  if (!candidates.some((candidate) => equalConstantTime(candidate, expected))) {
    throw new AppError('UNAUTHORIZED', 'webhook-signature does not match the payload and the signing secret');
  }
  checkTimestamp(Number(timestamp), options.now, options.toleranceSeconds ?? webhookToleranceSeconds);
}

/** Signs like a Standard Webhooks sender: returns the `webhook-signature` header value. */
export function signStandardWebhook(options: { id: string; timestampSeconds: number; payload: string; secret: string }): string {
  const mac = createHmac('sha256', decodeStandardWebhookSecret(options.secret))
    .update(`${options.id}.${options.timestampSeconds}.${options.payload}`)
    .digest('base64');
  return `v1,${mac}`;
}
