'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { EmptyState, ErrorState, Loading } from '../console/states';
import { Section } from './integration-parts';
import { fieldsOf } from './provider-fields';

interface Tool {
  name: string;
  namespace: string;
  toolName: string;
  source: 'built_in' | 'external';
  title: string | null;
  description: string | null;
  annotations: { readOnlyHint?: boolean; destructiveHint?: boolean };
  enabled: boolean;
  needsApproval: boolean;
}

function groupByNamespace(tools: Tool[]): [string, Tool[]][] {
  const groups = new Map<string, Tool[]>();
  for (const tool of tools) groups.set(tool.namespace, [...(groups.get(tool.namespace) ?? []), tool]);
  return [...groups.entries()];
}

function ToolBadges({ tool }: { tool: Tool }) {
  return (
    <span className="row" style={{ gap: 4 }}>
      {tool.annotations.readOnlyHint ? <span className="badge badge-good" data-testid="badge-read-only">read-only</span> : null}
      {!tool.annotations.readOnlyHint && !tool.needsApproval ? <span className="badge" data-testid="badge-writes" title="Writes, but adds rather than destroys: may run as a direct call">writes</span> : null}
      {tool.annotations.destructiveHint === true ? <span className="badge badge-bad" data-testid="badge-destructive">destructive</span> : null}
      {tool.needsApproval ? <span className="badge badge-warn" data-testid="badge-needs-approval" title="Runs only as a workflow action after an approval">needs approval</span> : null}
    </span>
  );
}

interface ToolRowProps {
  tool: Tool;
  canManage: boolean;
  onToggle: (enabled: boolean) => void;
  busy: boolean;
}

function ToolRow({ tool, canManage, onToggle, busy }: ToolRowProps) {
  return (
    <tr data-testid={`tool-${tool.name}`}>
      <td><code>{tool.name}</code>{tool.title ? <div className="muted" style={{ fontSize: 12 }}>{tool.title}</div> : null}</td>
      <td className="muted">{tool.description ?? ''}</td>
      <td><ToolBadges tool={tool} /></td>
      <td>
        {canManage ? (
          <label className="row" style={{ gap: 4 }}>
            <input type="checkbox" role="switch" checked={tool.enabled} disabled={busy} onChange={(event) => onToggle(event.target.checked)} aria-label={`Enable ${tool.name}`} />
            {tool.enabled ? 'on' : 'off'}
          </label>
        ) : (
          <span className="badge">{tool.enabled ? 'on' : 'off'}</span>
        )}
      </td>
    </tr>
  );
}

/** Every tool the gateway exposes, by connector or server, with its hints and (for admins) its switch. */
export function ToolList({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tools = useQuery(trpc.tools.list.queryOptions({ workspaceId, includeDisabled: 'true' }));
  const setEnabled = useMutation(trpc.tools.setEnabled.mutationOptions({ onSettled: () => void queryClient.invalidateQueries({ queryKey: trpc.tools.list.queryKey() }) }));
  const groups = groupByNamespace(tools.data?.tools ?? []);
  return (
    <Section id="tools" title="Tools" hint="Named <connector>__<tool>. Destructive tools never run as direct calls; they need a workflow approval.">
      {tools.isLoading ? <Loading label="Discovering tools…" /> : null}
      {tools.error ? <ErrorState title="Tools could not load" message={tools.error.message} action={<button type="button" onClick={() => void tools.refetch()}>Try again</button>} /> : null}
      {(tools.data?.unavailable ?? []).map((entry) => (
        <p key={entry.namespace} role="alert" className="test-result test-result-error">{entry.namespace} cannot be reached: {entry.error}</p>
      ))}
      {tools.data && groups.length === 0 ? <EmptyState title="No tools yet" testId="tools-empty">Enable a connector or add an MCP server to see its tools here.</EmptyState> : null}
      {setEnabled.error ? <p role="alert" className="test-result test-result-error">Could not change the tool: {setEnabled.error.message}</p> : null}
      {groups.map(([namespace, group]) => (
        <div key={namespace} className="tool-group" data-testid={`tool-group-${namespace}`}>
          <h3>{group[0]?.source === 'external' ? `${namespace} (MCP server)` : fieldsOf(namespace).label} <span className="muted">· {group.length} tools</span></h3>
          <table className="data">
            <caption className="visually-hidden">Tools of {namespace}</caption>
            <thead><tr><th scope="col">Tool</th><th scope="col">Description</th><th scope="col">Hints</th><th scope="col">Enabled</th></tr></thead>
            <tbody>
              {group.map((tool) => (
                <ToolRow key={tool.name} tool={tool} canManage={canManage} busy={setEnabled.isPending} onToggle={(enabled) => setEnabled.mutate({ workspaceId, tool: tool.name, enabled })} />
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </Section>
  );
}
