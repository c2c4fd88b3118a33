import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's location (packages/db/src). */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The committed migrations, shared by PGlite and PostgreSQL. */
export const defaultMigrationsDirectory = path.join(repositoryRoot, 'prisma', 'migrations');

/** The Prisma schema describing the whole data model. */
export const schemaPath = path.join(repositoryRoot, 'prisma', 'schema.prisma');

/** Embedded PGlite data lives here unless OPSPILOT_DATA_DIR says otherwise. */
export const defaultDataDirectory = path.join(repositoryRoot, '.data');
