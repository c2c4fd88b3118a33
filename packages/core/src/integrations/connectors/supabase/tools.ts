import { z } from 'zod';
import { defineTool, readOnlyVendorTool } from '../connector';

const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case SQL identifier');

export const TableFilterInput = z.object({
  column: identifier,
  operator: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'ilike']),
  value: z.union([z.string().max(500), z.number(), z.boolean()]),
});

export const QueryTableInput = z.object({
  table: identifier.describe('Must be one of the tables this integration allows'),
  filters: z.array(TableFilterInput).max(10).default([]),
  orderBy: z.object({ column: identifier, ascending: z.boolean().default(false) }).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type QueryTableInput = z.infer<typeof QueryTableInput>;

export const SignUp = z.object({ id: z.string(), email: z.string().nullable(), createdAt: z.string().nullable() });
export type SignUp = z.infer<typeof SignUp>;

/** What both Supabase backends implement. Reads only: this connector never writes. */
export interface SupabaseBackend {
  /** Tables this backend may read; anything else is refused before a query is built. */
  allowedTables(): readonly string[];
  queryTable(input: QueryTableInput): Promise<Record<string, unknown>[]>;
  listRecentSignUps(query: { since: Date; limit: number }): Promise<SignUp[]>;
}

export function createSupabaseTools(clock: () => Date) {
  return [
    defineTool({
      name: 'query_table',
      title: 'Query a table (read-only)',
      description: 'Reads rows from one allowlisted table with simple column filters. Never writes.',
      inputSchema: QueryTableInput,
      outputSchema: z.object({ table: z.string(), rows: z.array(z.record(z.string(), z.unknown())), count: z.number().int() }),
      annotations: readOnlyVendorTool,
      run: async (backend: SupabaseBackend, input) => {
        if (!backend.allowedTables().includes(input.table)) {
          throw new Error(`Table ${input.table} is not in this integration's allowlist (${backend.allowedTables().join(', ') || 'empty'})`);
        }
        const rows = await backend.queryTable(input);
        return { table: input.table, rows, count: rows.length };
      },
    }),
    defineTool({
      name: 'list_recent_signups',
      title: 'Recent sign-ups',
      description: 'Users who signed up in the last N days, newest first.',
      inputSchema: z.object({ sinceDays: z.number().int().min(1).max(90).default(7), limit: z.number().int().min(1).max(200).default(50) }),
      outputSchema: z.object({ users: z.array(SignUp), count: z.number().int(), since: z.string() }),
      annotations: readOnlyVendorTool,
      run: async (backend: SupabaseBackend, input) => {
        const since = new Date(clock().getTime() - input.sinceDays * 86_400_000);
        const users = await backend.listRecentSignUps({ since, limit: input.limit });
        return { users, count: users.length, since: since.toISOString() };
      },
    }),
  ];
}
