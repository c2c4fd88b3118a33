import { AgentList } from '~/components/console/agent-list';

export default function AgentsPage() {
  return <AgentList />;
}
