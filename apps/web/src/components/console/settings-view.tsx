'use client';

import { ApiKeys } from '../settings/api-keys';
import { ConnectedApps } from '../settings/connected-apps';
import { Invitations } from '../settings/invitations';
import { Members } from '../settings/members';
import '../settings/settings.css';
import { useWorkspace } from './workspace-context';

/** Members, invitations, API keys and connected apps of the selected workspace; each section checks its own role. */
export function SettingsView() {
  const { workspace } = useWorkspace();
  if (!workspace) return null;
  const isOwner = workspace.role === 'owner';
  const isAdmin = isOwner || workspace.role === 'admin';
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title" style={{ marginTop: 0, fontSize: 22 }}>Settings</h1>
      <section className="panel settings-section" aria-labelledby="settings-members"><h2 id="settings-members">Members</h2><Members workspaceId={workspace.id} canManage={isOwner} /></section>
      {isOwner ? <section className="panel settings-section" aria-labelledby="settings-invitations"><h2 id="settings-invitations">Invitations</h2><Invitations workspaceId={workspace.id} /></section> : null}
      <section className="panel settings-section" aria-labelledby="settings-api-keys"><h2 id="settings-api-keys">API keys</h2><ApiKeys workspaceId={workspace.id} canManage={isAdmin} /></section>
      <section className="panel" aria-labelledby="settings-connected-apps"><h2 id="settings-connected-apps">Connected apps</h2><ConnectedApps workspaceId={workspace.id} seesEveryGrant={isAdmin} /></section>
    </section>
  );
}
