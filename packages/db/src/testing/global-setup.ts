import type { TestProject } from 'vitest/node';
import { findPostgresBinaries, missingPostgresMessage, startPostgresServer } from './postgres-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the run's PostgreSQL server, or null when none could start (tests then skip, or fail in CI). */
    opspilotPostgresUrl: string | null;
  }
}

/**
 * Vitest globalSetup: one PostgreSQL server per test run, shared by every
 * test file through `inject('opspilotPostgresUrl')` (each file then creates
 * its own database on it). A TEST_POSTGRES_URL already set is used as is.
 * Without binaries it warns loudly, and fails when CI=true.
 */
export default async function setupPostgresServer(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.TEST_POSTGRES_URL;
  if (external) {
    project.provide('opspilotPostgresUrl', external);
    return undefined;
  }
  if (!findPostgresBinaries()) {
    if (process.env.CI === 'true') throw new Error(`CI=true and ${missingPostgresMessage}`);
    console.warn(`\n${'!'.repeat(100)}\n!! SKIPPING PostgreSQL tests: ${missingPostgresMessage}\n${'!'.repeat(100)}\n`);
    project.provide('opspilotPostgresUrl', null);
    return undefined;
  }
  const server = await startPostgresServer();
  project.provide('opspilotPostgresUrl', server.url);
  return () => server.stop();
}
