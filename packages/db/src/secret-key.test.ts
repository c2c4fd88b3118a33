import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSecretKey, parseSecretKey } from './secret-key';

describe('secret key for credentials at rest', () => {
  it('generates a 32-byte key once under the data dir, mode 0600, and reads it back', () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'opspilot-key-')), 'nested');
    const first = loadOrCreateSecretKey(dataDir);
    const second = loadOrCreateSecretKey(dataDir);
    expect(first).toHaveLength(32);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    const file = path.join(dataDir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(Buffer.from(first).toString('base64'));
  });

  it('parses base64 and hex keys and refuses other lengths without echoing them', () => {
    const bytes = Buffer.alloc(32, 7);
    expect(Buffer.from(parseSecretKey(bytes.toString('base64'))).equals(bytes)).toBe(true);
    expect(Buffer.from(parseSecretKey(bytes.toString('hex'))).equals(bytes)).toBe(true);
    expect(() => parseSecretKey('c2hvcnQtc2VjcmV0')).toThrow(/32 bytes/);
    expect(() => parseSecretKey('c2hvcnQtc2VjcmV0')).not.toThrow(/c2hvcnQ/);
  });
});
