import { DashboardView } from '~/components/dashboard/dashboard-view';
import { prefetchDashboard } from '~/components/dashboard/prefetch-dashboard';
import { HydrateClient } from '~/trpc/server';

export default async function DashboardPage() {
  await prefetchDashboard('main_dashboard', true);
  return (
    <HydrateClient>
      <DashboardView context="main_dashboard" />
    </HydrateClient>
  );
}
