import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors';
import { signStandardWebhook, signStripePayload, verifyStandardWebhook, verifyStripeSignature } from './webhook-verification';

function codeOf(run: () => void): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return isAppError(error) ? `${error.code}: ${error.message}` : String(error);
  }
}

describe('Standard Webhooks verification', () => {
  // The known-answer vector from the Standard Webhooks specification (shared/docs/specs.md).
  const vector = {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: '1614265330',
    body: '{"test": 2432232314}',
    signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  };
  const at = new Date(1614265330 * 1000 + 10_000);

  it('signs the known-answer vector to the published signature', () => {
    expect(signStandardWebhook({ id: vector.id, timestampSeconds: 1614265330, payload: vector.body, secret: vector.secret })).toBe(vector.signature);
  });

  it('accepts the known-answer vector, also among several signatures', () => {
    const headers = { id: vector.id, timestamp: vector.timestamp, signature: vector.signature };
    expect(codeOf(() => verifyStandardWebhook({ payload: vector.body, headers, secret: vector.secret, now: at }))).toBeNull();
    const rolled = { ...headers, signature: `v1,AAAA ${vector.signature}` };
    expect(codeOf(() => verifyStandardWebhook({ payload: Buffer.from(vector.body), headers: rolled, secret: vector.secret, now: at }))).toBeNull();
  });

  it('refuses a changed body, a wrong secret and a stale timestamp', () => {
    const headers = { id: vector.id, timestamp: vector.timestamp, signature: vector.signature };
    expect(codeOf(() => verifyStandardWebhook({ payload: '{"test": 2432232315}', headers, secret: vector.secret, now: at }))).toMatch(/^UNAUTHORIZED: webhook-signature does not match/);
    expect(codeOf(() => verifyStandardWebhook({ payload: vector.body, headers, secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', now: at }))).toMatch(/^UNAUTHORIZED/);
    const late = new Date(1614265330 * 1000 + 301_000);
    expect(codeOf(() => verifyStandardWebhook({ payload: vector.body, headers, secret: vector.secret, now: late }))).toMatch(/^UNAUTHORIZED: .*tolerance/);
  });

  it('refuses missing and malformed headers as bad requests', () => {
    const base = { id: vector.id, timestamp: vector.timestamp, signature: vector.signature };
    expect(codeOf(() => verifyStandardWebhook({ payload: vector.body, headers: { ...base, id: null }, secret: vector.secret, now: at }))).toMatch(/^BAD_REQUEST/);
    expect(codeOf(() => verifyStandardWebhook({ payload: vector.body, headers: { ...base, timestamp: 'soon' }, secret: vector.secret, now: at }))).toMatch(/^BAD_REQUEST/);
    expect(codeOf(() => verifyStandardWebhook({ payload: vector.body, headers: { ...base, signature: 'v2,abc' }, secret: vector.secret, now: at }))).toMatch(/^BAD_REQUEST/);
  });
});

describe('Stripe-Signature verification', () => {
  const secret = 'whsec_test_stripe_secret';
  const body = '{"id":"evt_1","type":"invoice.paid","created":1700000000,"data":{"object":{}}}';
  const now = new Date(1_700_000_100_000);
  const timestamp = 1_700_000_000;

  it('accepts a payload signed with the secret within 300 s', () => {
    const header = signStripePayload(body, secret, timestamp);
    expect(codeOf(() => verifyStripeSignature({ payload: body, header, secret, now }))).toBeNull();
    expect(codeOf(() => verifyStripeSignature({ payload: body, header: `${header},v1=${'0'.repeat(64)}`, secret, now }))).toBeNull();
  });

  it('matches the HMAC-SHA256 of "<t>.<body>" computed independently (Python hmac)', () => {
    const expected = 'bafc83868e1ccd4ad66fde3a43e749746956f714da79d7423418882773709d78';
    expect(signStripePayload(body, secret, timestamp)).toBe(`t=${timestamp},v1=${expected}`);
    expect(codeOf(() => verifyStripeSignature({ payload: body, header: `t=${timestamp},v1=${expected}`, secret, now }))).toBeNull();
  });

  it('refuses a bad signature, a stale timestamp and a malformed header', () => {
    const header = signStripePayload(body, secret, timestamp);
    expect(codeOf(() => verifyStripeSignature({ payload: `${body} `, header, secret, now }))).toMatch(/^UNAUTHORIZED: Stripe-Signature does not match/);
    expect(codeOf(() => verifyStripeSignature({ payload: body, header, secret: 'other', now }))).toMatch(/^UNAUTHORIZED/);
    expect(codeOf(() => verifyStripeSignature({ payload: body, header, secret, now: new Date((timestamp + 301) * 1000) }))).toMatch(/^UNAUTHORIZED: .*tolerance/);
    expect(codeOf(() => verifyStripeSignature({ payload: body, header: 'v1=abc', secret, now }))).toMatch(/^BAD_REQUEST: Malformed/);
    expect(codeOf(() => verifyStripeSignature({ payload: body, header: null, secret, now }))).toMatch(/^BAD_REQUEST: Missing/);
  });
});
