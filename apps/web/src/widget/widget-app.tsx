'use client';

import { useEffect, useState } from 'react';
import { PanelBody } from '../components/dashboard/panel-body';
import type { PanelData, UiElement } from '../components/dashboard/types';
import type { ToolResultLike } from './host-types';
import { useHost } from './use-host';
import { readDashboardView, type DashboardView } from './widget-data';

const contexts = [
  { context: 'main_dashboard', label: 'Overview' },
  { context: 'revenue', label: 'Revenue' },
  { context: 'reliability', label: 'Reliability' },
];

function WidgetPanelBody({ id, element, data }: { id: string; element: UiElement; data: PanelData | undefined }) {
  if (element.type === 'markdown') return <p style={{ whiteSpace: 'pre-wrap' }}>{element.body}</p>;
  if (element.type === 'section') return null;
  if (!data) return <p className="empty">No data.</p>;
  return <PanelBody id={id} element={element} data={data} interactiveHint="Open OpsPilot to see this panel." />;
}

function Dashboard({ view, onAcknowledge, busy }: { view: DashboardView; onAcknowledge: (incidentId: string) => void; busy: boolean }) {
  return (
    <div className="panel-grid" data-testid="widget-grid" data-version={view.version} data-context={view.context}>
      {view.order.map((id) => {
        const element = view.elements[id];
        if (!element || element.type === 'section') return null;
        const open = element.type === 'incident' ? view.acknowledgeable : [];
        return (
          <section key={id} className={`panel${element.type === 'incident' ? ' panel-incident' : ''}`} style={{ gridColumn: `span ${view.spans[id] ?? 6}` }} data-testid={`panel-${id}`} data-panel-type={element.type} aria-label={element.title ?? 'Note'}>
            {element.title ? <h2>{element.title}</h2> : null}
            <WidgetPanelBody id={id} element={element} data={view.panelData[id]} />
            {open.map((incidentId) => (
              <button key={incidentId} type="button" disabled={busy} onClick={() => onAcknowledge(incidentId)} data-testid={`acknowledge-${incidentId}`}>Acknowledge</button>
            ))}
          </section>
        );
      })}
    </div>
  );
}

/**
 * The OpsPilot widget: renders the dashboard a tool result carries, from
 * `window.openai` globals at load (the first result may arrive before any
 * notification) or from the MCP Apps tool-result notification, and talks
 * back through the same host (refresh, acknowledge, switch context).
 */
export function WidgetApp() {
  const { snapshot, bridge } = useHost();
  const [override, setOverride] = useState<ToolResultLike | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const view = override ? readDashboardView(override.structuredContent, override._meta ?? null) : readDashboardView(snapshot.toolOutput, snapshot.toolResponseMetadata);

  useEffect(() => {
    document.documentElement.dataset.theme = snapshot.theme;
    document.documentElement.dataset.displayMode = snapshot.displayMode;
  }, [snapshot.theme, snapshot.displayMode]);
  useEffect(() => setOverride(null), [snapshot.toolResponseMetadata]);

  const call = async (name: string, args: Record<string, unknown>) => {
    if (!bridge) return null;
    setBusy(true);
    setError(null);
    try {
      const result = await bridge.callTool(name, args);
      if (result.isError) setError(result.content?.[0]?.text ?? 'The tool failed.');
      return result;
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The host refused the call.');
      return null;
    } finally {
      setBusy(false);
    }
  };
  const refresh = async (context: string) => {
    const result = await call('refresh_dashboard', { context });
    if (result && !result.isError) {
      setOverride(result);
      bridge?.setWidgetState({ context, refreshes: (snapshot.widgetState?.refreshes ?? 0) + 1 });
    }
  };
  const acknowledge = async (incidentId: string) => {
    const result = await call('acknowledge_incident', { incidentId });
    if (result && !result.isError && view) await refresh(view.context);
  };

  const saved = snapshot.widgetState;
  useEffect(() => {
    if (view && saved && saved.context !== view.context && !busy && !override) void refresh(saved.context);
    // Restores the context the user last chose when the host re-opens the widget with its saved state.
  }, [saved?.context, view?.context]);

  return (
    <main className="widget" data-testid="opspilot-widget" data-host={snapshot.host} data-theme={snapshot.theme} data-display-mode={snapshot.displayMode} style={snapshot.maxHeight ? { maxHeight: snapshot.maxHeight, overflow: 'auto' } : undefined}>
      <header className="row" style={{ justifyContent: 'space-between', marginBottom: 12 }}>
        <strong data-testid="widget-title">{view?.title ?? 'OpsPilot'}</strong>
        <nav className="row" aria-label="Views">
          {contexts.map((entry) => (
            <button key={entry.context} type="button" aria-pressed={view?.context === entry.context} disabled={busy || !bridge || snapshot.host === 'none'} onClick={() => void refresh(entry.context)}>{entry.label}</button>
          ))}
          <button type="button" data-testid="widget-refresh" disabled={busy || !view} onClick={() => view && void refresh(view.context)}>{busy ? 'Refreshing…' : 'Refresh'}</button>
          {snapshot.host !== 'none' && snapshot.displayMode !== 'fullscreen' ? <button type="button" onClick={() => bridge?.requestDisplayMode('fullscreen')}>Expand</button> : null}
        </nav>
      </header>
      {error ? <p role="alert" style={{ color: 'var(--bad)' }}>{error}</p> : null}
      {view ? <Dashboard view={view} onAcknowledge={(id) => void acknowledge(id)} busy={busy} /> : (
        <p className="empty" data-testid="widget-empty">{snapshot.host === 'none' ? 'Open this widget from ChatGPT or another MCP Apps host.' : 'Waiting for the dashboard…'}</p>
      )}
    </main>
  );
}
