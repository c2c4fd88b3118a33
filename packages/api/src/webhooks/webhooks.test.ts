import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signStandardWebhook, signStripePayload } from '@opspilot/core/signals';
import { createTestRuntime } from '../auth/testing';
import type { Runtime } from '../runtime';
import { handleIngestWebhook, handleStripeWebhook } from './webhook-handlers';

// The Standard Webhooks known-answer vector (shared/docs/specs.md); the clock sits 10 s after its timestamp.
const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const nowSeconds = vector.timestamp + 10;
const stripeSecret = 'whsec_stripe_test_secret';
const workspaceId = 'ws-hooks';

describe('webhook endpoints', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await createTestRuntime({ clock: { now: () => new Date(nowSeconds * 1000) } });
    await runtime.db.execute(`INSERT INTO "Workspace" ("id", "name", "slug", "updatedAt") VALUES ($1, $1, $1, now())`, [workspaceId]);
    await runtime.db.prisma.integration.createMany({
      data: [
        { workspaceId, provider: 'stripe', name: 'Stripe', config: { webhookSecret: stripeSecret } },
        { workspaceId, provider: 'webhook', name: 'acme-crm', config: { webhookSecret: vector.secret } },
      ],
    });
  });
  afterAll(async () => runtime?.close());

  const count = async (table: 'SignalEvent' | 'Customer') => {
    const [row] = await runtime.db.query<{ count: string | number }>(`SELECT COUNT(*) AS "count" FROM "${table}" WHERE "workspaceId" = $1`, [workspaceId]);
    return Number(row?.count ?? 0);
  };
  const stripe = (body: string, signature: string | null, target = workspaceId) =>
    handleStripeWebhook(
      new Request(`http://localhost/api/webhooks/stripe/${target}`, { method: 'POST', body, headers: signature ? { 'stripe-signature': signature } : {} }),
      target,
      runtime,
    );
  const customerEvent = JSON.stringify({ id: 'evt_hook_1', type: 'customer.created', created: nowSeconds, data: { object: { id: 'cus_hook', name: 'Hook Co', created: nowSeconds } } });

  it('accepts a Stripe event signed over the raw body and stores its billing facts once', async () => {
    const response = await stripe(customerEvent, signStripePayload(customerEvent, stripeSecret, nowSeconds));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: true, duplicate: false, type: 'customer.created' });
    const again = await stripe(customerEvent, signStripePayload(customerEvent, stripeSecret, nowSeconds));
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(await count('Customer')).toBe(1);
  });

  it('refuses bad signatures, stale timestamps, malformed headers and bodies, oversize and unknown workspaces, storing nothing', async () => {
    const before = await count('SignalEvent');
    const body = customerEvent.replace('evt_hook_1', 'evt_hook_2');
    const cases: [Response, number, RegExp][] = [
      [await stripe(body, signStripePayload(body, 'wrong-secret', nowSeconds)), 401, /does not match/],
      [await stripe(body, signStripePayload(customerEvent, stripeSecret, nowSeconds)), 401, /does not match/],
      [await stripe(body, signStripePayload(body, stripeSecret, nowSeconds - 301)), 401, /tolerance/],
      [await stripe(body, 'garbage'), 400, /Malformed Stripe-Signature/],
      [await stripe(body, null), 400, /Missing Stripe-Signature/],
      [await stripe('{not json', signStripePayload('{not json', stripeSecret, nowSeconds)), 400, /not valid JSON/],
      [await stripe('{"hello":1}', signStripePayload('{"hello":1}', stripeSecret, nowSeconds)), 400, /not a Stripe event/],
      [await stripe('x'.repeat(300 * 1024), signStripePayload('x', stripeSecret, nowSeconds)), 413, /exceeds/],
      [await stripe(body, signStripePayload(body, stripeSecret, nowSeconds), 'ws-nobody'), 404, /No stripe webhook signing secret/],
    ];
    for (const [response, status, message] of cases) {
      expect(response.status).toBe(status);
      expect(((await response.json()) as { message: string }).message).toMatch(message);
    }
    expect(await count('SignalEvent')).toBe(before);
  });

  const ingest = (body: string, headers: Record<string, string>) =>
    handleIngestWebhook(new Request(`http://localhost/api/webhooks/ingest/${workspaceId}`, { method: 'POST', body, headers }), workspaceId, runtime);

  it('accepts the Standard Webhooks known-answer vector and stores it as one event from the integration', async () => {
    const headers = { 'webhook-id': vector.id, 'webhook-timestamp': String(vector.timestamp), 'webhook-signature': vector.signature };
    const response = await ingest(vector.body, headers);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, duplicate: false });
    expect(await (await ingest(vector.body, headers)).json()).toEqual({ received: true, duplicate: true });
    const [stored] = await runtime.db.query<{ source: string; type: string; properties: unknown }>(`SELECT "source", "type", "properties" FROM "SignalEvent" WHERE "eventId" = $1`, [vector.id]);
    expect(stored).toEqual({ source: 'acme-crm', type: 'webhook', properties: { test: 2432232314 } });
  });

  it('refuses a tampered, stale or unsigned Standard Webhooks delivery, storing nothing', async () => {
    const before = await count('SignalEvent');
    const body = JSON.stringify({ type: 'ticket.created', data: { subject: 'help' } });
    const signed = (id: string, timestamp: number, payload = body) => ({
      'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signStandardWebhook({ id, timestampSeconds: timestamp, payload, secret: vector.secret }),
    });
    expect((await ingest(`${body} `, signed('msg_1', nowSeconds))).status).toBe(401);
    expect((await ingest(body, signed('msg_2', nowSeconds - 301))).status).toBe(401);
    expect((await ingest(body, { 'webhook-id': 'msg_3' })).status).toBe(400);
    expect((await ingest('[1,2]', signed('msg_4', nowSeconds, '[1,2]'))).status).toBe(400);
    expect(await count('SignalEvent')).toBe(before);
    expect((await ingest(body, signed('msg_ok', nowSeconds))).status).toBe(200);
    expect(await count('SignalEvent')).toBe(before + 1);
  });
});
