import { toIso } from '../connector';
import { sandboxTables, type SandboxDataPort, type SandboxTable } from '../../sandbox-port';
import type { SupabaseBackend } from './tools';

function isSandboxTable(table: string): table is SandboxTable {
  return Object.hasOwn(sandboxTables, table);
}

function assertColumn(table: SandboxTable, column: string): void {
  if (!(sandboxTables[table] as readonly string[]).includes(column)) {
    throw new Error(`Column ${column} does not exist in sandbox table ${table} (${sandboxTables[table].join(', ')})`);
  }
}

/** Supabase answered from the workspace's own tables; customers double as sign-ups. */
export function createSupabaseSandboxBackend(workspaceId: string, sandbox: SandboxDataPort): SupabaseBackend {
  return {
    allowedTables: () => Object.keys(sandboxTables),
    async queryTable(input) {
      if (!isSandboxTable(input.table)) throw new Error(`Table ${input.table} is not a sandbox table`);
      const table = input.table;
      for (const filter of input.filters) assertColumn(table, filter.column);
      if (input.orderBy) assertColumn(table, input.orderBy.column);
      return sandbox.queryTable(workspaceId, {
        table,
        filters: input.filters,
        orderBy: input.orderBy ? { column: input.orderBy.column, ascending: input.orderBy.ascending } : null,
        limit: input.limit,
      });
    },
    async listRecentSignUps(query) {
      const customers = await sandbox.listCustomers(workspaceId, { limit: query.limit, createdSince: query.since });
      return customers.map((customer) => ({ id: customer.externalId, email: customer.email, createdAt: toIso(customer.createdAt) }));
    },
  };
}
