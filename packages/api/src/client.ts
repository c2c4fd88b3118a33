import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import type { AppRouter } from './router';

export interface CreateOpsPilotClientOptions {
  /** e.g. http://localhost:3000 */
  baseUrl: string;
  apiKey?: string;
  /** Node 20 has no global EventSource: pass `EventSource` from the `eventsource` package. */
  EventSource?: typeof globalThis.EventSource;
}

/** A typed client for scripts and services: `createOpsPilotClient({ baseUrl, apiKey })`. */
export function createOpsPilotClient(options: CreateOpsPilotClientOptions) {
  const url = `${options.baseUrl.replace(/\/$/, '')}/api/trpc`;
  const authorization: Record<string, string> = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
  // The `eventsource` package accepts a custom fetch, which is how the bearer key reaches SSE requests.
  const authorizedFetch = (input: string | URL | Request, init?: RequestInit) =>
    fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), ...authorization } });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (operation) => operation.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          ...(options.EventSource ? { EventSource: options.EventSource } : {}),
          eventSourceOptions: () => ({ fetch: authorizedFetch }) as EventSourceInit,
        }),
        false: httpBatchLink({ url, maxItems: 25, headers: () => authorization }),
      }),
    ],
  });
}

export type { AppRouter };
