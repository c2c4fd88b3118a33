import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { AppError, isAppError } from '../errors';
import { assertResolvedAddressesSafe, assertSafeUrlShape, isAllowedHost, resolveOutboundHost, type OutboundUrlPolicy } from './ssrf-guard';

/**
 * The `fetch` shape the MCP SDK and the vendor SDKs accept. `dispatcher` is
 * the guarded connection pool itself, for an SDK that takes no fetch but
 * passes its request options on to the runtime's fetch (Linear).
 */
export type GuardedFetch = ((input: string | URL | Request, init?: RequestInit) => Promise<Response>) & { dispatcher?: Dispatcher };

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `dns.lookup`-shaped function for `net.connect`, so sockets only ever open to addresses that passed the guard. */
export type GuardedLookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * Resolves a name for a socket that is about to connect and refuses when any
 * answer is private or reserved. It runs inside the connection, so the address
 * checked is the address dialled: a DNS server that answers a public address
 * to an earlier check and a private one now (rebinding) is refused here.
 */
export function createGuardedLookup(policy: OutboundUrlPolicy): GuardedLookup {
  return (hostname, options, callback) => {
    void (async () => {
      const addresses = await resolveOutboundHost(hostname, policy);
      if (!isAllowedHost(hostname, policy)) assertResolvedAddressesSafe(hostname, addresses);
      const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
      const records = addresses
        .map((address) => ({ address, family: isIP(address) }))
        .filter((record) => record.family !== 0 && (wanted === 0 || record.family === wanted));
      const [first] = records;
      if (!first) throw new AppError('BAD_REQUEST', `Outbound host ${hostname} has no IPv${wanted} address`);
      if (options.all === true) callback(null, records);
      else callback(null, first.address, first.family);
    })().catch((error: unknown) => callback(toErrnoException(error), ''));
  };
}

function toErrnoException(error: unknown): NodeJS.ErrnoException {
  // net reports a lookup failure as the socket's error; the code tells the fetch wrapper it was the guard.
  const wrapped: NodeJS.ErrnoException = new Error(error instanceof Error ? error.message : String(error), { cause: error });
  wrapped.code = 'EOPSPILOTBLOCKED';
  return wrapped;
}

/** The AppError the guard raised, found in the cause chain of a failed fetch (null when the guard was not the cause). */
function findGuardError(error: unknown): AppError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth += 1) {
    if (isAppError(current)) return current;
    current = current.cause;
  }
  return null;
}

/**
 * Runs a call that goes through the guarded connection pool: a refusal by the
 * guard surfaces as its own error (FORBIDDEN, naming the host), not as the
 * runtime's "fetch failed" that wraps it.
 */
export async function surfaceGuardError<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw findGuardError(error) ?? error;
  }
}

/**
 * A fetch whose every connection is checked at connect time (see
 * `createGuardedLookup`), that follows no redirect and checks the URL's shape
 * (scheme, userinfo, blocked names and IP literals) before each request. One
 * connection pool per guarded fetch; `close` ends its sockets.
 */
export function createGuardedFetch(policy: OutboundUrlPolicy): GuardedFetch & { close(): Promise<void>; dispatcher: Dispatcher } {
  const agent = new Agent({ connect: { lookup: createGuardedLookup(policy) } });
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const target = typeof input === 'string' || input instanceof URL ? input.toString() : input.url;
    assertSafeUrlShape(target, policy);
    // undici's own fetch: its Agent is the dispatcher, which Node's bundled fetch may not accept across versions.
    // undici's Response is the runtime's Response; the DOM typings (apps/web) name it differently.
    const response: unknown = await surfaceGuardError(() =>
      undiciFetch(target, {
        ...(init as Parameters<typeof undiciFetch>[1]),
        ...(input instanceof Request ? { method: input.method, headers: input.headers, body: input.body, duplex: 'half' } : {}),
        redirect: 'error',
        dispatcher: agent,
      } as Parameters<typeof undiciFetch>[1]),
    );
    return response as Response;
  };
  return Object.assign(guarded, { close: () => agent.close(), dispatcher: agent });
}
