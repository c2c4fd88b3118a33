import { defineConfig } from 'prisma/config';

// The connection lives outside the schema (Prisma 7). OpsPilot's own migration
// tool (packages/db/src/migrate) drives the schema engine through a driver
// adapter, because the native engine cannot be downloaded on offline machines.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
