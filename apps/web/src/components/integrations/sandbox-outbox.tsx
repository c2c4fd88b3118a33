'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { formatDate } from '../charts/format';
import { EmptyState, ErrorState, Loading } from '../console/states';
import { Section } from './integration-parts';
import { fieldsOf } from './provider-fields';

/** Writes the sandbox connectors would have sent to the vendor (a Slack post, a Linear issue, a refund). */
export function SandboxOutbox({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const outbox = useQuery(trpc.tools.outbox.queryOptions({ workspaceId, limit: 50 }));
  const entries = outbox.data ?? [];
  return (
    <Section id="outbox" title="Sandbox outbox" hint="Nothing here left OpsPilot: it is what a live connector would have sent.">
      {outbox.isLoading ? <Loading label="Loading the sandbox outbox…" /> : null}
      {outbox.error ? <ErrorState title="The outbox could not load" message={outbox.error.message} action={<button type="button" onClick={() => void outbox.refetch()}>Try again</button>} /> : null}
      {outbox.data && entries.length === 0 ? (
        <EmptyState title="The outbox is empty" testId="outbox-empty">When an approved workflow step or agent posts to Slack, creates a page or an issue, or refunds in sandbox mode, it lands here.</EmptyState>
      ) : null}
      {entries.length ? (
        <table className="data" data-testid="outbox-table">
          <caption className="visually-hidden">Sandbox writes, newest first</caption>
          <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Connector</th><th scope="col">Action</th><th scope="col">Payload</th></tr></thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-testid="outbox-row">
                <td>{formatDate(entry.createdAt, true)}</td>
                <td>{fieldsOf(entry.connector).label}</td>
                <td><code>{entry.action}</code></td>
                <td><pre className="payload">{JSON.stringify(entry.payload, null, 2)}</pre></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Section>
  );
}
