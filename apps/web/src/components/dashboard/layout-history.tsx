'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { formatDate } from '../charts/format';

/** Versions of a context with a rollback button each (rollback stores a new version). */
export function LayoutHistory({ workspaceId, context, currentVersion }: { workspaceId: string; context: string; currentVersion: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const history = useQuery(trpc.ui.history.queryOptions({ workspaceId, context, limit: 20 }));
  const rollback = useMutation(trpc.ui.rollback.mutationOptions({
    onSuccess: (schema) => {
      queryClient.setQueryData(trpc.ui.get.queryKey({ workspaceId, context }), schema);
      void queryClient.invalidateQueries({ queryKey: trpc.ui.history.queryKey() });
    },
  }));
  if (history.isLoading) return <p className="muted" role="status">Loading versions…</p>;
  if (history.error) return <p role="alert">Versions could not load: {history.error.message}</p>;
  return (
    <div>
      {rollback.error ? <p role="alert">Rollback failed: {rollback.error.message}</p> : null}
      <ol className="history-list" aria-label="Layout versions" data-testid="layout-history">
        {(history.data ?? []).map((entry) => (
          <li key={entry.version} data-testid={`history-v${entry.version}`}>
            <strong>v{entry.version}</strong>
            <span className="badge">{entry.source}</span>
            <span className="muted">{entry.panels} panels · {formatDate(entry.createdAt, true)}</span>
            <span className="spacer" />
            {entry.version === currentVersion ? <span className="muted">current</span> : (
              <button type="button" className="button-secondary" disabled={rollback.isPending} onClick={() => rollback.mutate({ workspaceId, context, version: entry.version })} aria-label={`Roll back to version ${entry.version}`}>
                Roll back
              </button>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
