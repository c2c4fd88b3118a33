'use client';

import { useQuery } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useTRPC } from '~/trpc/react';
import { rememberWorkspace, workspaceCookie } from './workspace-cookie';

export interface WorkspaceChoice {
  id: string;
  name: string;
  role: string;
}

interface WorkspaceState {
  workspaces: WorkspaceChoice[];
  workspace: WorkspaceChoice | null;
  select: (id: string) => void;
  status: 'loading' | 'signed-out' | 'error' | 'none' | 'ready';
  error: string | null;
}

const WorkspaceContext = createContext<WorkspaceState | null>(null);
/**
 * Loads the caller's workspaces and remembers which one the console shows. The server
 * renders with the workspace it read from the cookie (`initialWorkspaceId`), so the first
 * paint already shows the right one; without it, localStorage is the fallback.
 */
export function WorkspaceProvider({ children, initialWorkspaceId = null }: { children: ReactNode; initialWorkspaceId?: string | null }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.workspace.list.queryOptions());
  const [selected, setSelected] = useState<string | null>(initialWorkspaceId);
  useEffect(() => {
    if (!initialWorkspaceId) setSelected(window.localStorage.getItem(workspaceCookie));
  }, [initialWorkspaceId]);
  const select = useCallback((id: string) => {
    rememberWorkspace(id);
    setSelected(id);
  }, []);
  const workspaces = (list.data ?? []).map((workspace) => ({ id: workspace.id, name: workspace.name, role: workspace.role }));
  // On a return visit the remembered workspace starts its queries while the list loads (one round trip less before
  // the dashboard paints); the list then confirms it or replaces it.
  const remembered = list.isLoading && selected ? { id: selected, name: '', role: 'viewer' } : null;
  const workspace = workspaces.find((candidate) => candidate.id === selected) ?? workspaces[0] ?? remembered;
  // Confirmed by the list: remember it for the next server render too (older sessions only had localStorage).
  const confirmedId = list.data ? workspace?.id : undefined;
  useEffect(() => {
    if (confirmedId) rememberWorkspace(confirmedId);
  }, [confirmedId]);
  const status = list.error?.data?.code === 'UNAUTHORIZED' ? 'signed-out' : list.error ? 'error' : workspace ? 'ready' : list.isLoading ? 'loading' : 'none';
  return (
    <WorkspaceContext.Provider value={{ workspaces, workspace, select, status, error: list.error?.message ?? null }}>
      {children}
    </WorkspaceContext.Provider>
  );
}

export function useWorkspace(): WorkspaceState {
  const state = useContext(WorkspaceContext);
  if (!state) throw new Error('useWorkspace needs a WorkspaceProvider');
  return state;
}

/** The selected workspace's id; only call below `RequireWorkspace`. */
export function useWorkspaceId(): string {
  return useWorkspace().workspace?.id ?? '';
}
