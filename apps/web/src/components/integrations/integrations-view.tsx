'use client';

import { useWorkspace } from '../console/workspace-context';
import { AuditLog } from './audit-log';
import { ConnectorList } from './connector-list';
import { McpServerList } from './mcp-server-list';
import { isAdminRole } from './provider-fields';
import { SandboxOutbox } from './sandbox-outbox';
import { ToolList } from './tool-list';
import './integrations.css';

/** Connectors, tools, external MCP servers, the audit log and the sandbox outbox of the selected workspace. */
export function IntegrationsView() {
  const { workspace } = useWorkspace();
  if (!workspace) return null;
  const canManage = isAdminRole(workspace.role);
  return (
    <section aria-labelledby="integrations-title" data-testid="integrations-page">
      <h1 id="integrations-title" style={{ marginTop: 0, fontSize: 22 }}>Integrations and tools</h1>
      {canManage ? null : (
        <p className="muted" data-testid="read-only-note">You are a {workspace.role} here: you can see everything, but only admins and owners can change connectors, tools and servers.</p>
      )}
      <ConnectorList workspaceId={workspace.id} canManage={canManage} />
      <ToolList workspaceId={workspace.id} canManage={canManage} />
      <McpServerList workspaceId={workspace.id} canManage={canManage} />
      <AuditLog workspaceId={workspace.id} />
      <SandboxOutbox workspaceId={workspace.id} />
    </section>
  );
}
