'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { ThemeToggle } from './theme-toggle';
import { CreateWorkspaceForm } from '../settings/create-workspace';
import { useWorkspace, WorkspaceProvider } from './workspace-context';
import { ErrorState, Loading } from './states';
import './console.css';

const links = [
  { href: '/', label: 'Dashboard' },
  { href: '/chat', label: 'Chat' },
  { href: '/incidents', label: 'Incidents' },
  { href: '/workflows', label: 'Workflows' },
  { href: '/agents', label: 'Agents' },
  { href: '/integrations', label: 'Integrations' },
  { href: '/settings', label: 'Settings' },
];

function isCurrent(pathname: string, href: string) {
  return href === '/' ? pathname === '/' || pathname.startsWith('/views') : pathname.startsWith(href);
}

function WorkspaceSwitcher() {
  const state = useWorkspace();
  const { workspaces, workspace } = state;
  if (!workspace || workspaces.length === 0) return null;
  return (
    <div className="workspace-switcher">
      <label htmlFor="workspace-switcher" className="muted" style={{ fontSize: 12 }}>Workspace</label>
      <select id="workspace-switcher" value={workspace.id} onChange={(event) => state.select(event.target.value)} style={{ width: '100%', marginTop: 4 }}>
        {workspaces.map((candidate) => <option key={candidate.id} value={candidate.id}>{candidate.name}</option>)}
      </select>
      <div data-testid="workspace-name" className="visually-hidden">{workspace.name}</div>
    </div>
  );
}

function Gate({ children }: { children: ReactNode }) {
  const { status, error } = useWorkspace();
  if (status === 'signed-out') {
    return (
      <div className="notice" data-testid="signed-out">
        <h1>Welcome to OpsPilot</h1>
        <p className="muted">Sign in to see your business. The demo credentials are in .data/demo-credentials.json.</p>
        <a className="button" href="/sign-in">Sign in</a>
      </div>
    );
  }
  if (status === 'loading') return <Loading label="Loading your workspace…" />;
  if (status === 'error') return <ErrorState title="Could not load your workspaces" message={error ?? 'Unknown error'} action={<button type="button" onClick={() => window.location.reload()}>Try again</button>} />;
  if (status === 'none') {
    return (
      <div className="notice" data-testid="no-workspace">
        You are not a member of any workspace yet. Ask an owner for an invitation, or create your own.
        <CreateWorkspaceForm />
      </div>
    );
  }
  return <>{children}</>;
}

function Sidebar() {
  const pathname = usePathname();
  return (
    <aside className="sidebar">
      <div className="brand">OpsPilot</div>
      <WorkspaceSwitcher />
      <nav aria-label="Console">
        <ul>
          {links.map((link) => (
            <li key={link.href}>
              <Link href={link.href} aria-current={isCurrent(pathname, link.href) ? 'page' : undefined}>{link.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="spacer" />
      <ThemeToggle />
    </aside>
  );
}

/** The console frame: navigation, workspace switcher, theme, and the signed-out/loading gate. */
export function ConsoleShell({ children, initialWorkspaceId = null }: { children: ReactNode; initialWorkspaceId?: string | null }) {
  return (
    <WorkspaceProvider initialWorkspaceId={initialWorkspaceId}>
      <a href="#main" className="skip-link">Skip to content</a>
      <div className="console">
        <Sidebar />
        <main id="main" className="console-main">
          <Gate>{children}</Gate>
        </main>
      </div>
    </WorkspaceProvider>
  );
}
