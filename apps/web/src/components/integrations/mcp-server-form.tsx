'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/trpc/react';

/** Adds an external MCP server by URL; the optional header value is write-only (only its name comes back). */
export function McpServerForm({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [headerName, setHeaderName] = useState('');
  const [headerValue, setHeaderValue] = useState('');
  const create = useMutation(
    trpc.mcpServers.create.mutationOptions({
      onSuccess: () => {
        setName('');
        setUrl('');
        setHeaderName('');
        setHeaderValue('');
        void queryClient.invalidateQueries({ queryKey: trpc.mcpServers.list.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.tools.list.queryKey() });
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const headers = headerName.trim() && headerValue ? { [headerName.trim()]: headerValue } : {};
    create.mutate({ workspaceId, name: name.trim(), url: url.trim(), headers });
  }

  return (
    <form onSubmit={submit} aria-label="Add an MCP server" data-testid="mcp-server-form">
      <div className="form-grid">
        <label htmlFor="mcp-name">Name<input id="mcp-name" required value={name} onChange={(event) => setName(event.target.value)} placeholder="docs" pattern="[a-z][a-z0-9\-]{0,39}" title="Lower-case letters, digits and dashes, starting with a letter" /></label>
        <label htmlFor="mcp-url">URL (Streamable HTTP)<input id="mcp-url" type="url" required value={url} onChange={(event) => setUrl(event.target.value)} placeholder="https://mcp.example.com/mcp" /></label>
        <label htmlFor="mcp-header-name">Header name (optional)<input id="mcp-header-name" value={headerName} onChange={(event) => setHeaderName(event.target.value)} placeholder="Authorization" /></label>
        <label htmlFor="mcp-header-value">Header value<input id="mcp-header-value" type="password" autoComplete="off" value={headerValue} onChange={(event) => setHeaderValue(event.target.value)} placeholder="Bearer …" /></label>
        <div><button type="submit" disabled={create.isPending}>{create.isPending ? 'Adding…' : 'Add server'}</button></div>
      </div>
      {create.error ? <p role="alert" className="test-result test-result-error" data-testid="mcp-server-error">Could not add the server: {create.error.message}</p> : null}
    </form>
  );
}
