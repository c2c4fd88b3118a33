'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { formatDate } from '../charts/format';
import { EmptyState, ErrorState, Loading } from '../console/states';
import { Section } from './integration-parts';

const pageSize = 20;

function statusClass(status: string): string {
  if (status === 'ok' || status === 'deduplicated') return 'badge badge-good';
  if (status === 'forbidden' || status === 'rate_limited') return 'badge badge-warn';
  return 'badge badge-bad';
}

/** Every gateway call, newest first; arguments are stored as hashes only, so none are shown. */
export function AuditLog({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const log = useInfiniteQuery(
    trpc.tools.auditLog.infiniteQueryOptions({ workspaceId, limit: pageSize }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const rows = (log.data?.pages ?? []).flatMap((page) => page.items);
  return (
    <Section id="audit" title="Audit log" hint="Every tool call: who, what, how it went. Arguments are kept as a hash only.">
      <div className="row" style={{ marginBottom: 8 }}>
        <button type="button" className="button-secondary" onClick={() => void log.refetch()} disabled={log.isFetching}>{log.isFetching && !log.isFetchingNextPage ? 'Refreshing…' : 'Refresh'}</button>
      </div>
      {log.isLoading ? <Loading label="Loading the audit log…" /> : null}
      {log.error ? <ErrorState title="The audit log could not load" message={log.error.message} action={<button type="button" onClick={() => void log.refetch()}>Try again</button>} /> : null}
      {log.data && rows.length === 0 ? <EmptyState title="No tool calls yet" testId="audit-empty">Calls from chat, agents, workflows and the API appear here.</EmptyState> : null}
      {rows.length ? (
        <table className="data" data-testid="audit-table">
          <caption className="visually-hidden">Tool calls, newest first</caption>
          <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Actor</th><th scope="col">Tool</th><th scope="col">Status</th><th scope="col">Latency</th><th scope="col">Error</th></tr></thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-testid="audit-row" data-call-id={row.id} data-tool={row.tool} data-status={row.status}>
                <td>{formatDate(row.createdAt, true)}</td>
                <td>{row.actorType}{row.agentId ? ` · agent ${row.agentId}` : ''}{row.runId ? ` · run ${row.runId}` : ''}</td>
                <td><code>{row.tool}</code></td>
                <td><span className={statusClass(row.status)}>{row.status}</span></td>
                <td className="number">{Math.round(row.latencyMs)} ms</td>
                <td className="muted">{row.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {log.hasNextPage ? (
        <button type="button" className="button-secondary" style={{ marginTop: 8 }} onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          {log.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </Section>
  );
}
