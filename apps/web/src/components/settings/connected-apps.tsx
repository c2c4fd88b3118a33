'use client';

import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@opspilot/api';
import { useState } from 'react';
import { useTRPC } from '~/trpc/react';
import { formatDate } from '../charts/format';
import { EmptyState, ErrorState, Loading } from '../console/states';
import { LoadMore, nextCursorOf, settingsPageSize } from './load-more';

type ConnectedApp = inferRouterOutputs<AppRouter>['oauthApps']['list']['items'][number];

/** Revoke asks once more in place: the app loses access at once and has to be connected again. */
function RevokeButton({ app, workspaceId }: { app: ConnectedApp; workspaceId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation(trpc.oauthApps.revoke.mutationOptions({
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.oauthApps.list.infiniteQueryKey({ workspaceId }) }),
  }));
  if (!confirming) {
    return <button type="button" className="button-secondary" aria-label={`Revoke ${app.clientName}`} onClick={() => setConfirming(true)}>Revoke</button>;
  }
  return (
    <div className="row" role="group" aria-label={`Confirm revoking ${app.clientName}`}>
      <span className="muted">Revoke access now?</span>
      <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate({ workspaceId, grantId: app.grantId })}>
        {revoke.isPending ? 'Revoking…' : 'Yes, revoke'}
      </button>
      <button type="button" className="button-secondary" disabled={revoke.isPending} onClick={() => setConfirming(false)}>Cancel</button>
      {revoke.error ? <p role="alert" className="test-result test-result-error">Could not revoke: {revoke.error.message}</p> : null}
    </div>
  );
}

/**
 * Applications (ChatGPT and other MCP hosts) people connected to this
 * workspace through OAuth. Owners and admins see everyone's; others see
 * their own. Revoking ends the grant and its tokens at once.
 */
export function ConnectedApps({ workspaceId, seesEveryGrant }: { workspaceId: string; seesEveryGrant: boolean }) {
  const trpc = useTRPC();
  const apps = useInfiniteQuery(trpc.oauthApps.list.infiniteQueryOptions({ workspaceId, limit: settingsPageSize }, { getNextPageParam: nextCursorOf }));
  if (apps.isLoading) return <Loading label="Loading connected apps…" />;
  if (!apps.data) return <ErrorState title="Connected apps could not load" message={apps.error?.message ?? 'No answer from the server.'} />;
  const rows = apps.data.pages.flatMap((page) => page.items);
  if (rows.length === 0) {
    return (
      <EmptyState title="No apps connected yet." testId="connected-apps-empty">
        Connect ChatGPT: see docs/chatgpt.md. Add this site&apos;s <code>/mcp</code> URL as a connector with OAuth; you choose the workspace and permissions on the consent page.
      </EmptyState>
    );
  }
  return (
    <>
      <p className="muted" style={{ marginTop: 0 }}>{seesEveryGrant ? 'Every app connected to this workspace, by anyone.' : 'The apps you connected to this workspace.'}</p>
      <table className="data" data-testid="connected-apps">
        <thead><tr><th scope="col">App</th><th scope="col">Granted by</th><th scope="col">Scopes</th><th scope="col">Connected</th><th scope="col">Last used</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {rows.map((app) => (
            <tr key={app.grantId}>
              <td>{app.clientName}</td>
              <td>{app.grantedBy.name ?? app.grantedBy.email ?? app.grantedBy.userId}</td>
              <td>{app.scopes.join(', ')}</td>
              <td>{formatDate(app.createdAt, true)}</td>
              <td>{app.lastUsedAt ? formatDate(app.lastUsedAt, true) : 'never'}</td>
              <td><RevokeButton app={app} workspaceId={workspaceId} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore list={apps} shown={rows.length} noun="apps" testId="connected-apps-load-more" />
    </>
  );
}
