'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { formatDate } from '../charts/format';
import { ConnectedApps } from '../settings/connected-apps';
import { ErrorState, Loading } from './states';
import { useWorkspace } from './workspace-context';

function Members({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const members = useQuery(trpc.member.list.queryOptions({ workspaceId }));
  if (members.isLoading) return <Loading label="Loading members…" />;
  if (members.error) return <ErrorState title="Members could not load" message={members.error.message} />;
  return (
    <table className="data">
      <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Since</th></tr></thead>
      <tbody>{(members.data ?? []).map((member) => <tr key={member.id}><td>{member.name}</td><td>{member.email}</td><td>{member.role}</td><td>{formatDate(member.createdAt)}</td></tr>)}</tbody>
    </table>
  );
}

function ApiKeys({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const keys = useQuery({ ...trpc.apiKey.list.queryOptions({ workspaceId }), enabled: canManage });
  if (!canManage) return <p className="muted">Only admins and owners can see this workspace's API keys.</p>;
  if (keys.isLoading) return <Loading label="Loading API keys…" />;
  if (keys.error) return <ErrorState title="API keys could not load" message={keys.error.message} />;
  return (
    <table className="data">
      <thead><tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Scopes</th><th scope="col">Last used</th><th scope="col">State</th></tr></thead>
      <tbody>
        {(keys.data ?? []).map((key) => (
          <tr key={key.id}><td>{key.name}</td><td><code>{key.prefix}</code></td><td>{key.scopes.join(', ')}</td><td>{key.lastUsedAt ? formatDate(key.lastUsedAt, true) : 'never'}</td><td>{key.revokedAt ? 'revoked' : 'active'}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

/** Members, API keys and connected apps of the selected workspace. */
export function SettingsView() {
  const { workspace } = useWorkspace();
  if (!workspace) return null;
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title" style={{ marginTop: 0, fontSize: 22 }}>Settings</h1>
      <div className="panel" style={{ marginBottom: 16 }}><h2>Members</h2><Members workspaceId={workspace.id} /></div>
      <div className="panel" style={{ marginBottom: 16 }}><h2>API keys</h2><ApiKeys workspaceId={workspace.id} canManage={workspace.role === 'admin' || workspace.role === 'owner'} /></div>
      <div className="panel"><h2>Connected apps</h2><ConnectedApps workspaceId={workspace.id} seesEveryGrant={workspace.role === 'admin' || workspace.role === 'owner'} /></div>
    </section>
  );
}
