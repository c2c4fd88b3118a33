'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '~/trpc/react';
import { EmptyState, ErrorState, Loading } from '../console/states';
import { ConnectorLiveForm } from './connector-live-form';
import { Section, StatusBadge, TestResultLine } from './integration-parts';
import { fieldsOf } from './provider-fields';

type Integration = ConnectorItemProps['integration'];

interface ConnectorItemProps {
  workspaceId: string;
  canManage: boolean;
  integration: {
    id: string;
    provider: string;
    mode: 'live' | 'sandbox';
    status: string;
    lastError: string | null;
    enabled: boolean;
    hasCredentials: boolean;
    config: Record<string, unknown>;
  };
}

function useConnectorMutations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.integrations.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.tools.list.queryKey() });
  };
  return {
    test: useMutation(trpc.integrations.test.mutationOptions({ onSettled: refresh })),
    update: useMutation(trpc.integrations.update.mutationOptions({ onSuccess: refresh })),
  };
}

function ConnectorAdminControls({ workspaceId, integration }: Omit<ConnectorItemProps, 'canManage'>) {
  const { test, update } = useConnectorMutations();
  const [editing, setEditing] = useState(false);
  const label = fieldsOf(integration.provider).label;
  const target = { workspaceId, integrationId: integration.id };
  return (
    <>
      <div className="row">
        <button type="button" onClick={() => test.mutate(target)} disabled={test.isPending} aria-label={`Test ${label}`}>
          {test.isPending ? 'Testing…' : 'Test'}
        </button>
        <label className="row" style={{ gap: 4 }}>
          <input type="checkbox" checked={integration.enabled} disabled={update.isPending} onChange={(event) => update.mutate({ ...target, enabled: event.target.checked })} />
          Enabled
        </label>
        {integration.mode === 'sandbox' ? (
          <button type="button" className="button-secondary" onClick={() => setEditing((open) => !open)} aria-expanded={editing}>Set up live mode…</button>
        ) : (
          <>
            <button type="button" className="button-secondary" onClick={() => setEditing((open) => !open)} aria-expanded={editing}>Replace credentials…</button>
            <button type="button" className="button-secondary" onClick={() => update.mutate({ ...target, mode: 'sandbox' })} disabled={update.isPending}>Back to sandbox</button>
          </>
        )}
      </div>
      <TestResultLine result={test.data} error={test.error?.message ?? null} />
      {update.error ? <p role="alert" className="test-result test-result-error">Could not save: {update.error.message}</p> : null}
      {editing ? <ConnectorLiveForm workspaceId={workspaceId} integration={integration} onDone={() => setEditing(false)} /> : null}
    </>
  );
}

function ConnectorItem({ workspaceId, canManage, integration }: ConnectorItemProps) {
  const label = fieldsOf(integration.provider).label;
  return (
    <li className="connector-item" data-testid={`connector-${integration.provider}`} aria-label={label}>
      <div className="row">
        <strong>{label}</strong>
        <span className={integration.mode === 'live' ? 'badge badge-good' : 'badge badge-warn'} data-testid="connector-mode">{integration.mode}</span>
        <StatusBadge status={integration.status} lastError={integration.lastError} />
        {canManage ? null : <span className="badge">{integration.enabled ? 'enabled' : 'disabled'}</span>}
        <span className="muted" style={{ fontSize: 12 }} data-testid="has-credentials">
          {integration.hasCredentials ? 'Credentials stored' : 'No credentials'}
        </span>
      </div>
      {integration.lastError ? <p className="test-result test-result-error" style={{ margin: 0 }}>Last error: {integration.lastError}</p> : null}
      {canManage ? <ConnectorAdminControls workspaceId={workspaceId} integration={integration} /> : null}
    </li>
  );
}

/** The built-in connectors (Stripe, Supabase, Slack, Notion, Linear): mode, health, switches and live credentials. */
export function ConnectorList({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const integrations = useQuery(trpc.integrations.list.queryOptions({ workspaceId }));
  const items: Integration[] = integrations.data ?? [];
  return (
    <Section id="connectors" title="Connectors" hint={canManage ? 'Sandbox connectors answer from demo data and write to the outbox below.' : 'Only admins can test or change connectors.'}>
      {integrations.isLoading ? <Loading label="Loading connectors…" /> : null}
      {integrations.error ? <ErrorState title="Connectors could not load" message={integrations.error.message} action={<button type="button" onClick={() => void integrations.refetch()}>Try again</button>} /> : null}
      {integrations.data && items.length === 0 ? (
        <EmptyState title="No connectors in this workspace" testId="connectors-empty">Add Stripe, Supabase, Slack, Notion or Linear through the integrations API (`integrations.create`).</EmptyState>
      ) : null}
      <ul className="connector-list" data-testid="connector-list">
        {items.map((integration) => <ConnectorItem key={integration.id} workspaceId={workspaceId} canManage={canManage} integration={integration} />)}
      </ul>
    </Section>
  );
}
