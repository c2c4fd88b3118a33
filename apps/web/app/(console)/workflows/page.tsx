import { NotAvailable } from '~/components/console/states';

export default function WorkflowsPage() {
  return (
    <section aria-labelledby="workflows-title">
      <h1 id="workflows-title" style={{ marginTop: 0, fontSize: 22 }}>Workflows</h1>
      <NotAvailable feature="Workflow runs" detail="The workflow engine runs in the background, but its API (runs, steps, approvals) has not landed in the console yet. Once it does, this page shows each workflow on a live canvas with every step's state, run history and step detail." />
    </section>
  );
}
