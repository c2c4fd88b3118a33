'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/trpc/react';
import { useWorkspace, type WorkspaceChoice } from '../console/workspace-context';
import { useStatusMessage } from './status-message';
import './settings.css';

const confirmFieldId = 'delete-workspace-name';

/** What deleting takes with it, said before anyone types. */
const deletedData =
  'members, invitations, API keys, connected apps, integrations and their credentials, chat history, agents, workflows ' +
  'with their runs and approvals, ingested events, metrics, revenue and support data, incidents, dashboards and the audit log';

/**
 * The owner's form: the button stays disabled until the workspace's exact name
 * is typed, so a slip of the mouse or the wrong tab cannot delete anything.
 */
function DeleteWorkspaceForm({ workspace, onDeleted }: { workspace: WorkspaceChoice; onDeleted: (rowsDeleted: number) => Promise<void> }) {
  const trpc = useTRPC();
  const [typed, setTyped] = useState('');
  const remove = useMutation(trpc.workspace.delete.mutationOptions({ onSuccess: (result) => onDeleted(result.rowsDeleted) }));
  const matches = typed === workspace.name;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (matches && !remove.isPending) remove.mutate({ workspaceId: workspace.id });
  }

  return (
    <form className="settings-form" onSubmit={submit} aria-label="Delete this workspace" data-testid="delete-workspace-form">
      <p id="delete-workspace-warning" className="error-box" style={{ margin: 0 }}>
        Deleting <strong>{workspace.name}</strong> permanently removes everything in it for every member: {deletedData}.
        Members keep their accounts. This cannot be undone.
      </p>
      <div>
        <label htmlFor={confirmFieldId}>Type <strong>{workspace.name}</strong> to confirm</label>
        <input
          id={confirmFieldId}
          value={typed}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setTyped(event.target.value)}
          aria-describedby="delete-workspace-warning"
          disabled={remove.isPending}
        />
      </div>
      <div className="row">
        <button type="submit" style={{ background: 'var(--bad)' }} disabled={!matches || remove.isPending}>
          {remove.isPending ? 'Deleting…' : 'Delete this workspace'}
        </button>
      </div>
      {remove.error ? <p role="alert" className="field-error" data-testid="delete-workspace-error">{remove.error.message}</p> : null}
    </form>
  );
}

/**
 * Settings → Delete workspace, for owners only. After the deletion the console
 * moves to another workspace the person belongs to; with none left, the
 * console's empty state offers to create one.
 */
export function DangerZone() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace, workspaces, select } = useWorkspace();
  const status = useStatusMessage('delete-workspace-status');

  async function afterDelete(deleted: WorkspaceChoice, rowsDeleted: number) {
    const next = workspaces.find((candidate) => candidate.id !== deleted.id);
    if (next) select(next.id);
    await queryClient.invalidateQueries({ queryKey: trpc.workspace.list.queryKey() });
    const rows = `${rowsDeleted.toLocaleString('en-US')} ${rowsDeleted === 1 ? 'record' : 'records'}`;
    status.announce(next ? `Deleted “${deleted.name}” (${rows}). You are now in “${next.name}”.` : `Deleted “${deleted.name}” (${rows}).`);
  }

  const isOwner = workspace?.role === 'owner';
  return (
    <>
      {status.element}
      {workspace && isOwner ? (
        <section className="panel settings-section" aria-labelledby="settings-danger-zone" data-testid="danger-zone" style={{ marginTop: 16, borderColor: 'var(--bad)' }}>
          <h2 id="settings-danger-zone">Delete workspace</h2>
          <DeleteWorkspaceForm key={workspace.id} workspace={workspace} onDeleted={(rowsDeleted) => afterDelete(workspace, rowsDeleted)} />
        </section>
      ) : null}
    </>
  );
}
