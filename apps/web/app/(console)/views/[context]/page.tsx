import { DashboardView } from '~/components/dashboard/dashboard-view';
import { prefetchDashboard } from '~/components/dashboard/prefetch-dashboard';
import { HydrateClient } from '~/trpc/server';

export default async function ViewPage({ params }: { params: Promise<{ context: string }> }) {
  const context = decodeURIComponent((await params).context);
  await prefetchDashboard(context, false);
  return (
    <HydrateClient>
      <DashboardView context={context} />
    </HydrateClient>
  );
}
