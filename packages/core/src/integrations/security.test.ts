import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { settledCode } from '../testing';
import { hashArguments } from './canonical-json';
import { createTokenBucketRateLimiter } from './rate-limiter';
import { redact, redactText } from './redact';
import { bindSecret, createSecretBox } from './secret-box';
import { assertSafeOutboundUrl, isBlockedAddress } from './ssrf-guard';

describe('secret box (AES-256-GCM bound to workspace and integration)', () => {
  const box = createSecretBox(randomBytes(32));

  it('round-trips and never stores the plaintext', () => {
    const ciphertext = box.encrypt('sk_live_abcdef123456', bindSecret('ws_a', 'int_1'));
    expect(ciphertext).not.toContain('sk_live');
    expect(box.decrypt(ciphertext, bindSecret('ws_a', 'int_1'))).toBe('sk_live_abcdef123456');
  });

  it('refuses the ciphertext under another workspace or integration', () => {
    const ciphertext = box.encrypt('secret', bindSecret('ws_a', 'int_1'));
    expect(() => box.decrypt(ciphertext, bindSecret('ws_b', 'int_1'))).toThrow(/does not belong/);
    expect(() => box.decrypt(ciphertext, bindSecret('ws_a', 'int_2'))).toThrow(/does not belong/);
  });

  it('refuses a tampered ciphertext and a wrong key', () => {
    const ciphertext = box.encrypt('secret', 'ad');
    const parts = ciphertext.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    expect(() => box.decrypt([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'), 'ad')).toThrow();
    expect(() => createSecretBox(randomBytes(32)).decrypt(ciphertext, 'ad')).toThrow();
    expect(() => createSecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('redact', () => {
  it('removes known values and credential-shaped strings', () => {
    expect(redactText('key my-custom-secret-value failed', ['my-custom-secret-value'])).toBe('key [REDACTED] failed');
    expect(redactText('Authorization: Bearer abc.def-123456')).toBe('Authorization: Bearer [REDACTED]');
    expect(redactText('sk_live_51Habcdef and xoxb-1234-abcdef and lin_api_0123456789abc')).toBe('[REDACTED] and [REDACTED] and [REDACTED]');
  });

  it('replaces secret-named keys in structured data', () => {
    expect(redact({ headers: { Authorization: 'x' }, nested: { apiKey: 'k', name: 'ok' }, list: ['sk_test_abcdefgh'] })).toEqual({
      headers: '[REDACTED]',
      nested: { apiKey: '[REDACTED]', name: 'ok' },
      list: ['[REDACTED]'],
    });
  });
});

describe('SSRF guard', () => {
  const blocked = ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00:ec2::254', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '224.0.0.1'];
  const allowed = ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'];

  it.each(blocked)('blocks %s', (address) => expect(isBlockedAddress(address)).toBe(true));
  it.each(allowed)('allows %s', (address) => expect(isBlockedAddress(address)).toBe(false));


  it('checks every resolved address, schemes, credentials in URLs and metadata names', async () => {
    const resolveHost = async (host: string) => (host === 'rebind.example' ? ['93.184.216.34', '10.0.0.5'] : ['93.184.216.34']);
    expect(await settledCode(assertSafeOutboundUrl('https://mcp.example.com/mcp', { resolveHost }))).toBe('ok');
    expect(await settledCode(assertSafeOutboundUrl('https://rebind.example/mcp', { resolveHost }))).toBe('FORBIDDEN');
    expect(await settledCode(assertSafeOutboundUrl('http://[::1]:8080/', { resolveHost }))).toBe('FORBIDDEN');
    expect(await settledCode(assertSafeOutboundUrl('http://metadata.google.internal/', { resolveHost }))).toBe('FORBIDDEN');
    expect(await settledCode(assertSafeOutboundUrl('http://localhost:3000/', { resolveHost }))).toBe('FORBIDDEN');
    expect(await settledCode(assertSafeOutboundUrl('gopher://example.com/', { resolveHost }))).toBe('BAD_REQUEST');
    expect(await settledCode(assertSafeOutboundUrl('https://user:pass@example.com/', { resolveHost }))).toBe('BAD_REQUEST');
    expect(await settledCode(assertSafeOutboundUrl('https://nxdomain.invalid/', { resolveHost: async () => [] }))).toBe('BAD_REQUEST');
  });

  it('lets an explicit allowlist entry through', async () => {
    expect(await settledCode(assertSafeOutboundUrl('http://127.0.0.1:9/mcp', { allowedHosts: ['127.0.0.1'] }))).toBe('ok');
    expect(await settledCode(assertSafeOutboundUrl('http://127.0.0.2:9/mcp', { allowedHosts: ['127.0.0.1'] }))).toBe('FORBIDDEN');
  });
});

describe('token bucket and argument hashing', () => {
  it('allows the burst, refuses with a retry hint, refills over time', () => {
    let nowMs = 0;
    const limiter = createTokenBucketRateLimiter({ capacity: 3, refillPerSecond: 1, clock: { now: () => new Date(nowMs) } });
    for (let index = 0; index < 3; index++) limiter.consume('ws');
    expect(() => limiter.consume('ws')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED', retryAfterSeconds: 1 }) as Error);
    limiter.consume('other');
    nowMs += 1000;
    limiter.consume('ws');
  });

  it('hashes arguments independently of key order', () => {
    expect(hashArguments({ b: 1, a: { d: 2, c: [1, { y: 1, x: 2 }] } })).toBe(hashArguments({ a: { c: [1, { x: 2, y: 1 }], d: 2 }, b: 1 }));
    expect(hashArguments({ a: 1 })).not.toBe(hashArguments({ a: 2 }));
  });
});
