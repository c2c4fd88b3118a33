import { IntegrationsView } from '~/components/integrations/integrations-view';

export default function IntegrationsPage() {
  return <IntegrationsView />;
}
