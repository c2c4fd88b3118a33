import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const keyFileName = 'secret.key';

/**
 * Parses OPSPILOT_SECRET_KEY: 32 bytes as base64 (44 chars) or hex (64 chars).
 * Throws with a message that never echoes the value.
 */
export function parseSecretKey(value: string): Uint8Array {
  const text = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('OPSPILOT_SECRET_KEY must be 32 bytes, base64 or hex encoded (e.g. `openssl rand -base64 32`)');
  return new Uint8Array(key);
}

/**
 * The key that encrypts integration credentials in the embedded default:
 * read from `<dataDir>/secret.key`, or generated there (mode 0600) on first
 * boot. Creation uses the exclusive flag so two processes racing at first
 * boot end up with the same key.
 */
export function loadOrCreateSecretKey(dataDir: string): Uint8Array {
  const file = path.join(dataDir, keyFileName);
  try {
    return parseSecretKey(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read the secret key at ${file}: ${(error as Error).message}`);
  }
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return parseSecretKey(readFileSync(file, 'utf8'));
}
