import { DashboardView } from '~/components/dashboard/dashboard-view';

export default async function ViewPage({ params }: { params: Promise<{ context: string }> }) {
  const { context } = await params;
  return <DashboardView context={decodeURIComponent(context)} />;
}
