import type { SupabaseClient, SupabaseClientOptions } from '@supabase/supabase-js';
import { z } from 'zod';
import type { GuardedFetch } from '../../guarded-fetch';
import { toIso } from '../connector';
import type { SupabaseBackend } from './tools';

export const SupabaseCredentials = z.object({ serviceRoleKey: z.string().min(8) });
export type SupabaseCredentials = z.infer<typeof SupabaseCredentials>;

export const SupabaseConfig = z.object({
  /** The project URL, e.g. https://abcd.supabase.co. */
  url: z.url(),
  /** Tables query_table may read. Empty means none: reads are opt-in per table. */
  allowedTables: z.array(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/)).default([]),
});
export type SupabaseConfig = z.infer<typeof SupabaseConfig>;

const maxUsersScanned = 1000;

/**
 * The connector never opens a realtime channel, but supabase-js builds a
 * realtime client eagerly and, on Node 20 (no global WebSocket), refuses to
 * start without a transport. This one fails loudly if it is ever used.
 */
class RealtimeNotUsed {
  constructor() {
    throw new Error('The Supabase connector does not use realtime channels');
  }
}

type RealtimeTransport = NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport'];

/** Loaded on first use: supabase-js prints a Node-version warning at import time, which every other process can skip. */
async function createSupabaseClient(credentials: SupabaseCredentials, config: SupabaseConfig, fetchThrough?: GuardedFetch): Promise<SupabaseClient> {
  const { createClient } = await import('@supabase/supabase-js');
  return createClient(config.url, credentials.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: RealtimeNotUsed as unknown as RealtimeTransport },
    ...(fetchThrough ? { global: { fetch: fetchThrough } } : {}),
  });
}

/** Supabase through supabase-js (PostgREST and the auth admin API) with the project's service key. */
export function createSupabaseLiveBackend(credentials: SupabaseCredentials, config: SupabaseConfig, fetchThrough?: GuardedFetch): SupabaseBackend {
  let clientPromise: Promise<SupabaseClient> | null = null;
  const getClient = () => (clientPromise ??= createSupabaseClient(credentials, config, fetchThrough));
  return {
    allowedTables: () => config.allowedTables,
    async queryTable(input) {
      let query = (await getClient()).from(input.table).select('*');
      for (const filter of input.filters) {
        const { column, value } = filter;
        switch (filter.operator) {
          case 'eq': query = query.eq(column, value); break;
          case 'neq': query = query.neq(column, value); break;
          case 'gt': query = query.gt(column, value); break;
          case 'gte': query = query.gte(column, value); break;
          case 'lt': query = query.lt(column, value); break;
          case 'lte': query = query.lte(column, value); break;
          case 'ilike': query = query.ilike(column, String(value)); break;
        }
      }
      if (input.orderBy) query = query.order(input.orderBy.column, { ascending: input.orderBy.ascending });
      const { data, error } = await query.limit(input.limit);
      if (error) throw new Error(`Supabase query on ${input.table} failed: ${error.message}`);
      return (data ?? []) as Record<string, unknown>[];
    },
    async listRecentSignUps(query) {
      const { data, error } = await (await getClient()).auth.admin.listUsers({ page: 1, perPage: maxUsersScanned });
      if (error) throw new Error(`Supabase listUsers failed: ${error.message}`);
      return data.users
        .filter((user) => new Date(user.created_at).getTime() >= query.since.getTime())
        .sort((left, right) => right.created_at.localeCompare(left.created_at))
        .slice(0, query.limit)
        .map((user) => ({ id: user.id, email: user.email ?? null, createdAt: toIso(user.created_at) }));
    },
  };
}
