import { NotAvailable } from '~/components/console/states';

export default function IntegrationsPage() {
  return (
    <section aria-labelledby="integrations-title">
      <h1 id="integrations-title" style={{ marginTop: 0, fontSize: 22 }}>Integrations and tools</h1>
      <NotAvailable feature="Integrations" detail="Connecting Stripe, Supabase, Slack, Notion and Linear, enabling tools, the audit log and the sandbox outbox need the integrations API, which has not landed yet." />
    </section>
  );
}
