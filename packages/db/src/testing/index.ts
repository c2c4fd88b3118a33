/**
 * @opspilot/db/testing: real databases for tests, never mocks.
 *
 * Embedded (always available, ~1-2 s per database):
 *   const db = await createEmbeddedTestDatabase();   // fresh in-memory PGlite, migrated
 *   afterAll(() => db.close());
 *
 * PostgreSQL (a real server started from the local binaries, one per test run):
 *   1. In your package's vitest.config.ts add the globalSetup:
 *        test: { globalSetup: ['../db/src/testing/global-setup.ts'] }      // packages/<x>
 *      (it starts the server, provides its URL to every file via inject('opspilotPostgresUrl'),
 *       and stops it at the end; a TEST_POSTGRES_URL already set is used instead).
 *   2. In a test file:
 *        describePostgres('invoices on PostgreSQL', () => {
 *          let db: TestDatabase;
 *          beforeAll(async () => { db = await createPostgresTestDatabase(); });  // fresh database, migrated
 *          afterAll(() => db.close());                                           // drops it
 *          it('...', async () => { await db.prisma.workspace.create(...) });
 *        });
 *      describePostgres skips with a loud warning when the binaries are missing locally and
 *      fails when CI=true. To run one suite on both engines, loop over
 *      [['PGlite', createEmbeddedTestDatabase], ['PostgreSQL', createPostgresTestDatabase]].
 *
 * `startPostgresServer()` is there for code that needs its own server (benchmarks, scripts).
 */
export { createEmbeddedTestDatabase, createPostgresTestDatabase, describePostgres, postgresAvailable, readPostgresTestUrl } from './test-databases';
export type { TestDatabase } from './test-databases';
export { findPostgresBinaries, missingPostgresMessage, startPostgresServer } from './postgres-server';
export type { PostgresServer } from './postgres-server';
export { default as setupPostgresServer } from './global-setup';
