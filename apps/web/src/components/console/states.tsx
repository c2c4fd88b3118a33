import type { ReactNode } from 'react';

/** A loading placeholder that screen readers announce. */
export function Loading({ label }: { label: string }) {
  return <div className="notice skeleton" role="status" aria-busy="true">{label}</div>;
}

/** An error with what to do next. */
export function ErrorState({ title, message, action }: { title: string; message: string; action?: ReactNode }) {
  return (
    <div className="error-box" role="alert">
      <strong>{title}</strong>
      <p className="muted" style={{ margin: '6px 0' }}>{message}</p>
      {action}
    </div>
  );
}

/** Nothing yet, and how to change that. */
export function EmptyState({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="notice" data-testid={testId}>
      <strong>{title}</strong>
      {children ? <div className="muted" style={{ marginTop: 6 }}>{children}</div> : null}
    </div>
  );
}

/** A feature whose API has not landed: say so instead of showing invented data. */
export function NotAvailable({ feature, detail }: { feature: string; detail?: string }) {
  return (
    <EmptyState title={`${feature} is not available yet`} testId="not-available">
      {detail ?? 'This part of the API is still being built. Nothing here is simulated; it will show real data once the API lands.'}
    </EmptyState>
  );
}
