import { dehydrate, HydrationBoundary, type QueryClient } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { cookies, headers } from 'next/headers';
import { cache, type ReactNode } from 'react';
import { appRouter } from '@opspilot/api';
import { createPageRenderContext } from '@opspilot/api/server';
import { workspaceCookie } from '~/components/console/workspace-cookie';
import { makeQueryClient } from './query-client';

/** One QueryClient per server request, shared by the layout and the page. */
export const getServerQueryClient = cache(makeQueryClient);

/** One context per page request: one rate-limit charge for the page, however many procedures it calls. */
const getPageContext = cache(async () => createPageRenderContext(new Headers(await headers())));

/**
 * The same `queryOptions` as `useTRPC()` in the browser, but calling the procedures in process
 * with the request's own cookies: the same sign-in, workspace scoping and role checks apply.
 */
export const serverTrpc = createTRPCOptionsProxy({
  router: appRouter,
  queryClient: getServerQueryClient,
  ctx: getPageContext,
});

export interface ServerWorkspace {
  /** The workspace the console opens on (the remembered one if the caller still belongs to it), or null when signed out or in none. */
  workspaceId: string | null;
  /** Whether the cookie chose it; otherwise the browser may still prefer the one in localStorage. */
  remembered: boolean;
}

/**
 * Reads the caller's workspaces into the request's cache and picks the one to show. Failures
 * (signed out, no workspace) are not errors here: the browser shows the matching state.
 */
export const resolveServerWorkspace = cache(async (): Promise<ServerWorkspace> => {
  try {
    const workspaces = await getServerQueryClient().fetchQuery(serverTrpc.workspace.list.queryOptions());
    const remembered = (await cookies()).get(workspaceCookie)?.value;
    const known = workspaces.find((workspace) => workspace.id === remembered);
    return { workspaceId: (known ?? workspaces[0])?.id ?? null, remembered: known !== undefined };
  } catch {
    return { workspaceId: null, remembered: false };
  }
});

/** Settles the given prefetches, waiting at most `budgetMs`; slower ones are left to the browser. */
export async function settleWithin(prefetches: Promise<unknown>[], budgetMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const budget = new Promise<void>((resolve) => { timer = setTimeout(resolve, budgetMs); });
  await Promise.race([Promise.allSettled(prefetches), budget]);
  clearTimeout(timer);
}

/** Hands what the server prefetched to the browser's query cache. */
export function HydrateClient({ children, queryClient = getServerQueryClient() }: { children: ReactNode; queryClient?: QueryClient }) {
  return <HydrationBoundary state={dehydrate(queryClient)}>{children}</HydrationBoundary>;
}
