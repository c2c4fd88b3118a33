/**
 * `pnpm db:migrate` applies pending migrations to the configured database.
 * `pnpm db:migrate:create <name>` writes a migration for the schema changes
 * since the last committed migration, or prints "no changes".
 */
import path from 'node:path';
import { openDatabase } from '../client';
import { loadDatabaseConfig } from '../config';
import { applyMigrations } from '../migrate/apply-migrations';
import { createMigration } from '../migrate/create-migration';
import { repositoryRoot } from '../paths';
import { describeTarget, runCli } from './run-cli';

async function applyCommand(): Promise<void> {
  const config = loadDatabaseConfig(process.env);
  const database = await openDatabase(config);
  try {
    const result = await applyMigrations(database);
    const summary = result.applied.length === 0 ? 'already up to date' : `applied ${result.applied.join(', ')}`;
    console.log(`${describeTarget(config)}: ${summary} (${result.total} migrations in total)`);
  } finally {
    await database.close();
  }
}

async function createCommand(name: string | undefined): Promise<void> {
  if (!name) throw new Error('usage: pnpm db:migrate:create <name>   (e.g. add_invoices)');
  const result = await createMigration({ name, now: new Date() });
  if (!result.created) {
    console.log('no changes: prisma/schema.prisma matches the committed migrations');
    return;
  }
  console.log(`created ${path.relative(repositoryRoot, path.join(result.directory, 'migration.sql'))}`);
}

runCli(async () => {
  const [command, ...rest] = process.argv.slice(2).filter((argument) => argument !== '--');
  switch (command) {
    case 'apply':
    case undefined:
      return applyCommand();
    case 'create':
      return createCommand(rest[0]);
    default:
      throw new Error(`unknown command "${command}": use "apply" or "create <name>"`);
  }
});
