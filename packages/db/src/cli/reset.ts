/**
 * `pnpm db:reset` drops every table of the configured database, re-applies
 * the migrations and reloads the demo business.
 */
import { openDatabase } from '../client';
import { loadDatabaseConfig } from '../config';
import { resetDatabase } from '../migrate/reset-database';
import { describeTarget, runCli } from './run-cli';

runCli(async () => {
  const config = loadDatabaseConfig(process.env);
  const database = await openDatabase(config);
  try {
    const result = await resetDatabase(database);
    console.log(`${describeTarget(config)}: dropped everything, applied ${result.applied.length} migrations`);
  } finally {
    await database.close();
  }
});
