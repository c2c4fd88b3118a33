import { readBearer, startFakeHttpServer, type FakeHttpServer, type FakeResponse, type RecordedRequest } from './fake-http-server';

export interface FakeSupabase extends FakeHttpServer {
  tables: Record<string, Record<string, unknown>[]>;
  users: { id: string; email: string; created_at: string }[];
}

function matches(row: Record<string, unknown>, column: string, expression: string): boolean {
  const dot = expression.indexOf('.');
  const operator = expression.slice(0, dot);
  const expected = expression.slice(dot + 1);
  const actual = row[column];
  const actualText = String(actual);
  const compare = typeof actual === 'number' ? actual - Number(expected) : actualText.localeCompare(expected);
  switch (operator) {
    case 'eq': return actualText === expected;
    case 'neq': return actualText !== expected;
    case 'gt': return compare > 0;
    case 'gte': return compare >= 0;
    case 'lt': return compare < 0;
    case 'lte': return compare <= 0;
    case 'ilike': {
      const pattern = expected.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/[%*]/g, '.*');
      return new RegExp(`^${pattern}$`, 'i').test(actualText);
    }
    default: return false;
  }
}

function selectRows(rows: Record<string, unknown>[], request: RecordedRequest): Record<string, unknown>[] {
  let result = [...rows];
  for (const [key, value] of request.query) {
    if (key === 'select' || key === 'order' || key === 'limit' || key === 'offset') continue;
    result = result.filter((row) => matches(row, key, value));
  }
  const order = request.query.get('order');
  if (order) {
    const [column = '', direction] = order.split('.');
    result.sort((left, right) => String(left[column]).localeCompare(String(right[column])) * (direction === 'desc' ? -1 : 1));
  }
  const limit = request.query.get('limit');
  return limit ? result.slice(0, Number(limit)) : result;
}

/**
 * A local server speaking Supabase's PostgREST (`GET /rest/v1/<table>` with
 * `col=op.value` filters, order, limit) and the auth admin API
 * (`GET /auth/v1/admin/users`). Requests without a known key get a 401.
 */
export async function startFakeSupabase(options: { serviceKeys: string[] }): Promise<FakeSupabase> {
  const tables: FakeSupabase['tables'] = {
    accounts: [
      { id: 1, name: 'Acme', plan: 'pro', seats: 12, created_at: '2026-11-01T00:00:00Z' },
      { id: 2, name: 'Globex', plan: 'team', seats: 40, created_at: '2026-11-10T00:00:00Z' },
      { id: 3, name: 'Initech', plan: 'pro', seats: 3, created_at: '2026-11-20T00:00:00Z' },
    ],
    secrets: [{ id: 1, value: 'do-not-read' }],
  };
  const users: FakeSupabase['users'] = [
    { id: 'u1', email: 'new@acme.test', created_at: '2026-11-24T12:00:00Z' },
    { id: 'u2', email: 'old@acme.test', created_at: '2026-09-01T12:00:00Z' },
  ];
  const server = await startFakeHttpServer((request): FakeResponse => {
    const apiKey = request.headers.apikey;
    const token = readBearer(request) ?? (typeof apiKey === 'string' ? apiKey : null);
    if (!token || !options.serviceKeys.includes(token)) return { status: 401, body: { message: 'Invalid API key', code: '401' } };
    const tableMatch = /^\/rest\/v1\/([a-z_]+)$/.exec(request.path);
    if (request.method === 'GET' && tableMatch?.[1]) {
      const rows = tables[tableMatch[1]];
      if (!rows) return { status: 404, body: { code: '42P01', message: `relation "public.${tableMatch[1]}" does not exist` } };
      return { body: selectRows(rows, request) };
    }
    if (request.method === 'GET' && request.path === '/auth/v1/admin/users') return { body: { users, aud: 'authenticated' } };
    return { status: 404, body: { message: `No route ${request.method} ${request.path}` } };
  });
  return { ...server, tables, users };
}
