import { describe, expect, it } from 'vitest';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, postgresAvailable, type TestDatabase } from './testing/test-databases';

const engines: [string, () => Promise<TestDatabase>][] = [['PGlite', createEmbeddedTestDatabase]];
if (postgresAvailable() || process.env.CI === 'true') engines.push(['PostgreSQL', () => createPostgresTestDatabase()]);

describe.each(engines)('openDatabase on %s', (_engine, createDatabase) => {
  it('round-trips a Workspace through Prisma and sees it from raw SQL', async () => {
    const database = await createDatabase();
    try {
      const created = await database.prisma.workspace.create({ data: { name: 'Acme Analytics', slug: 'acme', settings: { plan: 'pro' } } });
      const read = await database.prisma.workspace.findUniqueOrThrow({ where: { id: created.id } });
      expect(read).toEqual(created);
      expect(read.settings).toEqual({ plan: 'pro' });
      const rows = await database.query<{ slug: string }>('SELECT slug FROM "Workspace" WHERE id = $1', [created.id]);
      expect(rows).toEqual([{ slug: 'acme' }]);
    } finally {
      await database.close();
    }
  });

  it('rolls back a raw transaction that throws and commits one that returns', async () => {
    const database = await createDatabase();
    try {
      const insert = 'INSERT INTO "Workspace" (id, name, slug, "updatedAt") VALUES ($1, $2, $3, now())';
      await expect(
        database.transaction(async (transaction) => {
          await transaction.execute(insert, ['w1', 'One', 'one']);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const affected = await database.transaction((transaction) => transaction.execute(insert, ['w2', 'Two', 'two']));
      expect(affected).toBe(1);
      const rows = await database.query<{ id: string }>('SELECT id FROM "Workspace" ORDER BY id');
      expect(rows.map((row) => row.id)).toEqual(['w2']);
    } finally {
      await database.close();
    }
  });
});
