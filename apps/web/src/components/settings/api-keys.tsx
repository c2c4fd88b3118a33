'use client';

import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@opspilot/api';
import { useState } from 'react';
import { useTRPC } from '~/trpc/react';
import { formatDate } from '../charts/format';
import { EmptyState, ErrorState, Loading } from '../console/states';
import { ApiKeyForm, type CreatedApiKey } from './api-key-form';
import { ConfirmInPlace } from './confirm-in-place';
import { LoadMore, nextCursorOf, settingsPageSize } from './load-more';
import { OneTimeSecret } from './one-time-secret';
import { useStatusMessage } from './status-message';

type ApiKey = inferRouterOutputs<AppRouter>['apiKey']['list']['items'][number];

function KeyState({ apiKey }: { apiKey: ApiKey }) {
  if (apiKey.revokedAt) return <span className="state-revoked">revoked {formatDate(apiKey.revokedAt, true)}</span>;
  if (apiKey.expiresAt && new Date(apiKey.expiresAt).getTime() <= Date.now()) return <span className="state-expired">expired</span>;
  return <span>active</span>;
}

function RevokeKey({ apiKey, workspaceId, onRevoked }: { apiKey: ApiKey; workspaceId: string; onRevoked: (name: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(trpc.apiKey.revoke.mutationOptions({
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.infiniteQueryKey({ workspaceId }) });
      onRevoked(apiKey.name);
    },
  }));
  return (
    <ConfirmInPlace
      label="Revoke" subject={apiKey.name} question="Anything using this key stops working now. Revoke?"
      confirmLabel="Yes, revoke" busyLabel="Revoking…" busy={revoke.isPending}
      error={revoke.error ? `Could not revoke: ${revoke.error.message}` : null}
      onConfirm={() => revoke.mutate({ workspaceId, apiKeyId: apiKey.id })}
    />
  );
}

function ApiKeyTable({ keys, workspaceId, onRevoked }: { keys: ApiKey[]; workspaceId: string; onRevoked: (name: string) => void }) {
  if (keys.length === 0) return <EmptyState title="No API keys yet." testId="api-keys-empty">Create one above to call the REST API or send events from your backend.</EmptyState>;
  return (
    <table className="data" data-testid="api-keys">
      <thead><tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Scopes</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">State</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
      <tbody>
        {keys.map((key) => (
          <tr key={key.id}>
            <td>{key.name}</td>
            <td><code>{key.prefix}</code></td>
            <td>{key.scopes.join(', ')}</td>
            <td>{key.expiresAt ? formatDate(key.expiresAt) : 'never'}</td>
            <td>{key.lastUsedAt ? formatDate(key.lastUsedAt, true) : 'never'}</td>
            <td><KeyState apiKey={key} /></td>
            <td>{key.revokedAt ? null : <RevokeKey apiKey={key} workspaceId={workspaceId} onRevoked={onRevoked} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The workspace's API keys for admins and owners: create (the secret is shown
 * once), list, revoke. Revoked keys stay listed as revoked, for the record.
 */
export function ApiKeys({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const keys = useInfiniteQuery({ ...trpc.apiKey.list.infiniteQueryOptions({ workspaceId, limit: settingsPageSize }, { getNextPageParam: nextCursorOf }), enabled: canManage });
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const status = useStatusMessage('api-keys-status');
  if (!canManage) return <p className="muted">Only admins and owners can see and manage this workspace&apos;s API keys.</p>;
  const rows = keys.data?.pages.flatMap((page) => page.items) ?? [];

  function finishCreated() {
    setCreated(null);
    document.getElementById('api-key-name')?.focus();
  }

  return (
    <>
      {created ? (
        <OneTimeSecret title={`Copy the secret of “${created.apiKey.name}” now`} value={created.secret} valueLabel="API key secret" onDone={finishCreated} testId="api-key-secret">
          You will not see this secret again: OpsPilot keeps only a hash of it. Store it in your secret manager; if it is lost, revoke the key and create a new one.
          Send it as <code>Authorization: Bearer …</code>.
        </OneTimeSecret>
      ) : null}
      <ApiKeyForm workspaceId={workspaceId} onCreated={setCreated} />
      {status.element}
      {keys.isLoading ? <Loading label="Loading API keys…" /> : null}
      {keys.error && !keys.data ? <ErrorState title="API keys could not load" message={keys.error.message} /> : null}
      {keys.data ? <ApiKeyTable keys={rows} workspaceId={workspaceId} onRevoked={(name) => status.announce(`Key “${name}” revoked: requests with it are refused from now on.`)} /> : null}
      {keys.data ? <LoadMore list={keys} shown={rows.length} noun="keys" testId="api-keys-load-more" /> : null}
    </>
  );
}
