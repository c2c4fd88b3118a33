/**
 * `pnpm db:seed [--seed <n>] [--now <ISO date>]` applies pending migrations
 * and loads the demo business into an EMPTY database. It refuses a database
 * that already holds workspaces or users; `pnpm db:reset` starts over.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../client';
import { loadDatabaseConfig } from '../config';
import { applyMigrations } from '../migrate/apply-migrations';
import { isDatabaseEmpty, seedDemo } from '../seed';
import { describeTarget, runCli } from './run-cli';

function readOptions(): { now: Date; seed?: number } {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((argument) => argument !== '--'),
    options: { seed: { type: 'string' }, now: { type: 'string' } },
  });
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime()))
    throw new Error(`--now "${values.now ?? ''}" is not a date (expected e.g. 2026-11-25)`);
  if (values.seed === undefined) return { now };
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new Error(`--seed "${values.seed}" must be an integer from 0 to 4294967295`);
  return { now, seed };
}

runCli(async () => {
  const options = readOptions();
  const config = loadDatabaseConfig(process.env);
  const database = await openDatabase(config);
  try {
    await applyMigrations(database);
    if (!(await isDatabaseEmpty(database))) {
      throw new Error(
        `${describeTarget(config)} already holds data (workspaces or users), so db:seed leaves it alone. Run \`pnpm db:reset\` to drop everything and reload the demo.`,
      );
    }
    const summary = await seedDemo(database, options);
    console.log(
      `${describeTarget(config)}: seeded demo workspace "${summary.slug}" (${summary.totalRows} rows, year ending ${summary.anchor.slice(0, 10)}, seed ${summary.seed}) in ${(summary.durationMs / 1000).toFixed(1)} s; checksum ${summary.checksum}`,
    );
  } finally {
    await database.close();
  }
});
