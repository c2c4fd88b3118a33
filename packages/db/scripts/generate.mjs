// Runs `prisma generate` on offline machines. Generate never executes the
// native schema engine, but the CLI insists the file exists, so point it at
// any existing file (the node binary) unless the caller set one.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' };
const prismaBin = path.join(root, 'packages/db/node_modules/.bin/prisma');
const result = spawnSync(prismaBin, ['generate', '--config', path.join(root, 'prisma.config.ts')], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
