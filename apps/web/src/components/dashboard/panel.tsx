'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { ErrorState } from '../console/states';
import { PanelBody, type QueryElement } from './panel-body';
import type { UiElement } from './types';

function QueryPanel({ id, element, workspaceId }: { id: string; element: QueryElement; workspaceId: string }) {
  const trpc = useTRPC();
  const data = useQuery(trpc.ui.panelData.queryOptions({ workspaceId, query: element.query }));
  return (
    <>
      <h2>{element.title}</h2>
      {element.description ? <p className="muted" style={{ marginTop: 0, fontSize: 13 }}>{element.description}</p> : null}
      {data.isLoading ? <div className="skeleton" role="status" aria-busy="true" style={{ height: element.type === 'metric-tile' ? 40 : 160 }}>Loading…</div> : null}
      {data.error ? <ErrorState title="This panel could not load" message={data.error.message} action={<button type="button" onClick={() => void data.refetch()}>Retry</button>} /> : null}
      {data.data ? <PanelBody id={id} element={element} data={data.data} interactiveHint="Act on this on the Workflows page." /> : null}
    </>
  );
}

/** One element of the spec, placed in the 12-column grid. */
export function Panel({ id, element, span, workspaceId }: { id: string; element: UiElement; span: number; workspaceId: string }) {
  if (element.type === 'section') return null;
  return (
    <section className={`panel${element.type === 'incident' ? ' panel-incident' : ''}`} style={{ gridColumn: `span ${span}` }} data-testid={`panel-${id}`} data-panel-type={element.type} aria-label={element.title ?? 'Note'}>
      {element.type === 'markdown' ? (
        <>
          {element.title ? <h2>{element.title}</h2> : null}
          {element.body.split(/\n{2,}/).map((paragraph, index) => <p key={index}>{paragraph}</p>)}
        </>
      ) : (
        <QueryPanel id={id} element={element} workspaceId={workspaceId} />
      )}
    </section>
  );
}
