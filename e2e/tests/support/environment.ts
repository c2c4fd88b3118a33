import { readFileSync } from 'node:fs';
import path from 'node:path';

export const e2ePort = Number(process.env.E2E_PORT ?? 3123);
export const e2eBaseUrl = `http://127.0.0.1:${e2ePort}`;
/** The e2e server's own data directory, wiped before each run (see scripts/e2e-server.mjs). */
export const e2eDataDir = path.resolve(import.meta.dirname, '../../../.data/e2e');

export interface DemoCredentials {
  email: string;
  password: string;
  apiKey: string;
  workspaceId: string;
}

export function readDemoCredentials(): DemoCredentials {
  return JSON.parse(readFileSync(path.join(e2eDataDir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
}
