import { WorkflowsView } from '~/components/workflows/workflows-view';

export default function WorkflowsPage() {
  return <WorkflowsView />;
}
