import { getServerQueryClient, resolveServerWorkspace, serverTrpc, settleWithin } from '~/trpc/server';

/**
 * How long the server waits for panel data before sending the page. Panels that answer within
 * it arrive drawn in the first HTML (the largest paint needs no JavaScript); slower ones show
 * their loading state and are fetched by the browser.
 */
const panelBudgetMs = 400;

/**
 * Prefetches what a dashboard view shows first, in the request's query cache: the headline
 * numbers, the context's layout spec, then every panel's data (in parallel, within a budget).
 */
export async function prefetchDashboard(context: string, withHeadline: boolean): Promise<void> {
  const { workspaceId } = await resolveServerWorkspace();
  if (!workspaceId) return;
  const queryClient = getServerQueryClient();
  const headline = withHeadline ? queryClient.prefetchQuery(serverTrpc.workspace.overview.queryOptions({ workspaceId })) : Promise.resolve();
  const schema = await queryClient.fetchQuery(serverTrpc.ui.get.queryOptions({ workspaceId, context })).catch(() => null);
  const panels = Object.values(schema?.spec.elements ?? {}).flatMap((element) =>
    'query' in element ? [queryClient.prefetchQuery(serverTrpc.ui.panelData.queryOptions({ workspaceId, query: element.query }))] : [],
  );
  await settleWithin([headline, ...panels], panelBudgetMs);
}
