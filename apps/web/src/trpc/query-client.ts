import { defaultShouldDehydrateQuery, QueryClient } from '@tanstack/react-query';

/**
 * Server calls return the procedures' raw values (Dates, undefined fields); the browser
 * reads the same procedures as JSON over HTTP. Dehydrating through JSON gives the client
 * exactly what a fetch would have, so hydrated and fetched data never differ.
 */
function toWireShape(data: unknown): unknown {
  return data === undefined ? undefined : JSON.parse(JSON.stringify(data));
}

/** One QueryClient configuration for the browser and for server prefetching. */
export function makeQueryClient(): QueryClient {
  const onServer = typeof window === 'undefined';
  return new QueryClient({
    defaultOptions: {
      // A server prefetch never retries: a refusal (signed out) is final, and the browser retries what failed.
      queries: { staleTime: 15_000, retry: onServer ? false : 1, refetchOnWindowFocus: false },
      // Only settled successes travel to the browser; anything still pending or failed is fetched there.
      dehydrate: { serializeData: toWireShape, shouldDehydrateQuery: defaultShouldDehydrateQuery },
    },
  });
}
