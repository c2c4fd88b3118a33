// Starts the built web app for the Playwright journeys on a fresh embedded
// database under .data/e2e, so every e2e run begins from the demo seed.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { root, run } from './lib/setup.mjs';

const port = process.argv[2] ?? '3123';
const dataDir = path.join(root, '.data/e2e');
rmSync(dataDir, { recursive: true, force: true });
const nextBin = path.join(root, 'apps/web/node_modules/.bin/next');
const result = run(nextBin, ['start', '-p', port, '-H', '127.0.0.1'], {
  cwd: path.join(root, 'apps/web'),
  // Every journey signs in as the demo owner; the default per-email sign-in limit (10/min) is for people.
  env: { OPSPILOT_DATA_DIR: dataDir, PORT: port, DATABASE_URL: '', OPSPILOT_RATE_LIMIT_SIGN_IN: '1000' },
});
process.exit(result.status);
