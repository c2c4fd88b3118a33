import { parseBody, readBearer, startFakeHttpServer, type FakeHttpServer, type FakeResponse, type RecordedRequest } from './fake-http-server';

/** Seed data of the fake Stripe API, in Stripe's own object shapes (only the fields OpsPilot reads). */
export interface FakeStripeData {
  customers: Record<string, unknown>[];
  invoices: Record<string, unknown>[];
  subscriptions: Record<string, unknown>[];
}

export const defaultFakeStripeData: FakeStripeData = {
  customers: [
    { id: 'cus_A1', object: 'customer', name: 'Acme Corp', email: 'billing@acme.test', created: 1_764_000_000 },
    { id: 'cus_B2', object: 'customer', name: 'Globex', email: 'ap@globex.test', created: 1_763_000_000 },
  ],
  invoices: [
    { id: 'in_failed1', object: 'invoice', customer: 'cus_A1', amount_due: 4900, currency: 'usd', status: 'open', attempt_count: 2, created: 1_764_100_000 },
    { id: 'in_open0', object: 'invoice', customer: 'cus_B2', amount_due: 9900, currency: 'usd', status: 'open', attempt_count: 0, created: 1_764_100_100 },
  ],
  subscriptions: [
    {
      id: 'sub_1',
      object: 'subscription',
      customer: 'cus_A1',
      status: 'active',
      start_date: 1_760_000_000,
      canceled_at: null,
      items: { object: 'list', data: [{ id: 'si_1', quantity: 1, price: { id: 'price_pro', lookup_key: 'pro', unit_amount: 4900, recurring: { interval: 'month', interval_count: 1 } } }] },
    },
    {
      id: 'sub_2',
      object: 'subscription',
      customer: 'cus_B2',
      status: 'active',
      start_date: 1_761_000_000,
      canceled_at: null,
      items: { object: 'list', data: [{ id: 'si_2', quantity: 2, price: { id: 'price_team_y', lookup_key: 'team_annual', unit_amount: 60000, recurring: { interval: 'year', interval_count: 1 } } }] },
    },
  ],
};

export interface FakeStripe extends FakeHttpServer {
  /** Refunds actually created (a replayed Idempotency-Key creates none). */
  refunds: Record<string, unknown>[];
}

function list(path: string, data: unknown[]): FakeResponse {
  return { body: { object: 'list', url: path, has_more: false, data } };
}

function stripeError(status: number, message: string): FakeResponse {
  return { status, body: { error: { type: 'invalid_request_error', message } } };
}

/**
 * A local server speaking the Stripe REST API for the calls the connector
 * makes: customers, invoices, subscriptions, refunds (with Idempotency-Key
 * replay, as Stripe does). Requests with a key not in `apiKeys` get a 401.
 */
export async function startFakeStripe(options: { apiKeys: string[]; data?: FakeStripeData }): Promise<FakeStripe> {
  const data = options.data ?? defaultFakeStripeData;
  const refunds: Record<string, unknown>[] = [];
  const replays = new Map<string, FakeResponse>();
  const handle = (request: RecordedRequest): FakeResponse => {
    const token = readBearer(request);
    if (!token || !options.apiKeys.includes(token)) return stripeError(401, `Invalid API Key provided: ${(token ?? '').slice(0, 8)}****`);
    const path = request.path;
    if (request.method === 'GET' && path === '/v1/customers') {
      const email = request.query.get('email');
      return list(path, data.customers.filter((customer) => !email || customer.email === email));
    }
    if (request.method === 'GET' && path === '/v1/invoices') {
      const status = request.query.get('status');
      return list(path, data.invoices.filter((invoice) => !status || invoice.status === status));
    }
    if (request.method === 'GET' && path === '/v1/subscriptions') return list(path, data.subscriptions);
    const subscriptionMatch = /^\/v1\/subscriptions\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && subscriptionMatch) {
      const found = data.subscriptions.find((subscription) => subscription.id === subscriptionMatch[1]);
      return found ? { body: found } : stripeError(404, `No such subscription: '${subscriptionMatch[1]}'`);
    }
    if (request.method === 'POST' && path === '/v1/refunds') return createRefund(request);
    return stripeError(404, `Unrecognized request URL (${request.method}: ${path})`);
  };
  const createRefund = (request: RecordedRequest): FakeResponse => {
    const key = request.headers['idempotency-key'];
    const replayKey = typeof key === 'string' ? key : null;
    const replay = replayKey ? replays.get(replayKey) : undefined;
    if (replay) return { ...replay, headers: { 'idempotent-replayed': 'true' } };
    const body = parseBody(request);
    const refund = {
      id: `re_${refunds.length + 1}`,
      object: 'refund',
      status: 'succeeded',
      amount: body.amount === undefined ? 4900 : Number(body.amount),
      currency: 'usd',
      payment_intent: body.payment_intent ?? null,
      charge: body.charge ?? null,
    };
    refunds.push(refund);
    const response = { body: refund };
    if (replayKey) replays.set(replayKey, response);
    return response;
  };
  const server = await startFakeHttpServer(handle);
  return { ...server, refunds };
}
