import { ChatPanel } from '~/components/chat/chat-panel';
import { DashboardView } from '~/components/dashboard/dashboard-view';

export default function ChatPage() {
  return (
    <div className="split">
      <div>
        <h1 style={{ marginTop: 0, fontSize: 22 }}>Chat</h1>
        <ChatPanel />
      </div>
      <aside aria-label="Live dashboard" className="chat-dashboard">
        <DashboardView context="main_dashboard" compact />
      </aside>
    </div>
  );
}
