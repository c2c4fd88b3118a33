/**
 * `pnpm db:reset` drops every table of the configured database, re-applies
 * the migrations and reloads the demo business (anchored at today).
 */
import { openDatabase } from '../client';
import { loadDatabaseConfig } from '../config';
import { resetDatabase } from '../migrate/reset-database';
import { seedDemo } from '../seed';
import { describeTarget, runCli } from './run-cli';

runCli(async () => {
  const config = loadDatabaseConfig(process.env);
  const database = await openDatabase(config);
  try {
    const migrations = await resetDatabase(database);
    console.log(`${describeTarget(config)}: dropped everything, applied ${migrations.applied.length} migrations`);
    const seeded = await seedDemo(database, { now: new Date() });
    console.log(
      `loaded the demo business "${seeded.slug}": ${seeded.totalRows} rows in ${Math.round(seeded.durationMs)} ms (checksum ${seeded.checksum.slice(0, 12)})`,
    );
  } finally {
    await database.close();
  }
});
