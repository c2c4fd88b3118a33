'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { EmptyState, ErrorState, Loading } from '../console/states';
import { Section, StatusBadge, TestResultLine } from './integration-parts';
import { McpServerForm } from './mcp-server-form';

interface McpServer {
  id: string;
  name: string;
  url: string;
  headerNames: string[];
  status: string;
  lastError: string | null;
}

function McpServerItem({ workspaceId, server }: { workspaceId: string; server: McpServer }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.mcpServers.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.tools.list.queryKey() });
  };
  const test = useMutation(trpc.mcpServers.test.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.mcpServers.delete.mutationOptions({ onSuccess: refresh }));
  const target = { workspaceId, mcpServerId: server.id };
  return (
    <li className="connector-item" data-testid={`mcp-server-${server.name}`} aria-label={server.name}>
      <div className="row">
        <strong>{server.name}</strong>
        <code style={{ fontSize: 12 }}>{server.url}</code>
        <StatusBadge status={server.status} lastError={server.lastError} />
        {server.headerNames.length ? <span className="muted" style={{ fontSize: 12 }}>Headers: {server.headerNames.join(', ')} (values hidden)</span> : null}
      </div>
      {server.lastError ? <p className="test-result test-result-error" style={{ margin: 0 }}>Last error: {server.lastError}</p> : null}
      <div className="row">
        <button type="button" onClick={() => test.mutate(target)} disabled={test.isPending} aria-label={`Test ${server.name}`}>{test.isPending ? 'Testing…' : 'Test'}</button>
        <button
          type="button"
          className="button-secondary"
          disabled={remove.isPending}
          aria-label={`Remove ${server.name}`}
          onClick={() => { if (window.confirm(`Remove the MCP server ${server.name}? Its tools disappear from the workspace.`)) remove.mutate(target); }}
        >
          Remove
        </button>
      </div>
      <TestResultLine result={test.data} error={test.error?.message ?? null} />
      {remove.error ? <p role="alert" className="test-result test-result-error">Could not remove: {remove.error.message}</p> : null}
    </li>
  );
}

/** External MCP servers (admins only: their URLs and header names are workspace configuration). */
export function McpServerList({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const servers = useQuery({ ...trpc.mcpServers.list.queryOptions({ workspaceId }), enabled: canManage });
  if (!canManage) {
    return (
      <Section id="mcp-servers" title="External MCP servers">
        <p className="muted">Only admins and owners can see and manage external MCP servers. Their tools, if any, are listed above.</p>
      </Section>
    );
  }
  return (
    <Section id="mcp-servers" title="External MCP servers" hint="Reached over Streamable HTTP; private, loopback and metadata addresses are refused.">
      {servers.isLoading ? <Loading label="Loading MCP servers…" /> : null}
      {servers.error ? <ErrorState title="MCP servers could not load" message={servers.error.message} action={<button type="button" onClick={() => void servers.refetch()}>Try again</button>} /> : null}
      {servers.data && servers.data.length === 0 ? <EmptyState title="No external MCP servers" testId="mcp-servers-empty">Add one by URL below; its tools join the list above as &lt;name&gt;__&lt;tool&gt;.</EmptyState> : null}
      <ul className="connector-list" style={{ marginBottom: 12 }}>
        {(servers.data ?? []).map((server) => <McpServerItem key={server.id} workspaceId={workspaceId} server={server} />)}
      </ul>
      <McpServerForm workspaceId={workspaceId} />
    </Section>
  );
}
