'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/trpc/react';
import { useWorkspace } from '../console/workspace-context';
import './settings.css';

/**
 * Creates a workspace with the signed-in person as its owner and opens it: the
 * way out of the console's empty state (no workspace yet, or the last one
 * deleted).
 */
export function CreateWorkspaceForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { select } = useWorkspace();
  const [name, setName] = useState('');
  const create = useMutation(trpc.workspace.create.mutationOptions({
    onSuccess: async (created) => {
      select(created.id);
      await queryClient.invalidateQueries({ queryKey: trpc.workspace.list.queryKey() });
    },
  }));

  function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim() && !create.isPending) create.mutate({ name: name.trim() });
  }

  return (
    <form className="settings-form" onSubmit={submit} aria-label="Create a workspace" data-testid="create-workspace-form" style={{ marginTop: 12 }}>
      <div>
        <label htmlFor="create-workspace-name">Workspace name</label>
        <input id="create-workspace-name" value={name} maxLength={80} onChange={(event) => setName(event.target.value)} placeholder="Acme Inc" />
      </div>
      <div className="row">
        <button type="submit" disabled={!name.trim() || create.isPending}>{create.isPending ? 'Creating…' : 'Create workspace'}</button>
      </div>
      {create.error ? <p role="alert" className="field-error">{create.error.message}</p> : null}
    </form>
  );
}
