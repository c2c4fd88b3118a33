import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRecordingLogger } from '@opspilot/core/testing';
import { parseAllowedHosts, resolveSecretKey } from './integrations-runtime';

const postgres = { mode: 'postgres', url: 'postgres://opspilot@127.0.0.1:5432/opspilot' } as const;

describe('gateway settings from the environment', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'opspilot-secret-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prefers OPSPILOT_SECRET_KEY, base64 or hex, and refuses a short one without echoing it', () => {
    const key = Buffer.alloc(32, 7);
    const logger = createRecordingLogger();
    expect(Buffer.from(resolveSecretKey({ OPSPILOT_SECRET_KEY: key.toString('base64') }, { mode: 'embedded', dataDir }, logger)).equals(key)).toBe(true);
    expect(Buffer.from(resolveSecretKey({ OPSPILOT_SECRET_KEY: key.toString('hex') }, postgres, logger)).equals(key)).toBe(true);
    expect(() => resolveSecretKey({ OPSPILOT_SECRET_KEY: 'dG9vLXNob3J0LWtleQ==' }, postgres, logger)).toThrow(/32 bytes/);
    expect(() => resolveSecretKey({ OPSPILOT_SECRET_KEY: 'dG9vLXNob3J0LWtleQ==' }, postgres, logger)).not.toThrow(/dG9v/);
  });

  it('keeps one key file per embedded data directory and a fresh key per in-memory database', () => {
    const logger = createRecordingLogger();
    const first = resolveSecretKey({}, { mode: 'embedded', dataDir }, logger);
    const second = resolveSecretKey({}, { mode: 'embedded', dataDir }, logger);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    expect(statSync(path.join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    const memoryA = resolveSecretKey({}, { mode: 'embedded', dataDir: 'memory://' }, logger);
    const memoryB = resolveSecretKey({}, { mode: 'embedded', dataDir: 'memory://' }, logger);
    expect(memoryA).toHaveLength(32);
    expect(Buffer.from(memoryA).equals(Buffer.from(memoryB))).toBe(false);
  });

  it('stops a production PostgreSQL boot without a key, and warns outside production', () => {
    const logger = createRecordingLogger();
    expect(() => resolveSecretKey({ NODE_ENV: 'production' }, postgres, logger)).toThrow(/OPSPILOT_SECRET_KEY is required/);
    const key = resolveSecretKey({ NODE_ENV: 'development', OPSPILOT_DATA_DIR: dataDir }, postgres, logger);
    expect(key).toHaveLength(32);
    expect(logger.lines.some((line) => line.startsWith('warn') && line.includes('OPSPILOT_SECRET_KEY'))).toBe(true);
  });

  it('reads OPSPILOT_MCP_ALLOWED_HOSTS as a trimmed comma-separated list', () => {
    expect(parseAllowedHosts(undefined)).toEqual([]);
    expect(parseAllowedHosts(' 127.0.0.1 , mcp.internal.example ,, ')).toEqual(['127.0.0.1', 'mcp.internal.example']);
  });
});
