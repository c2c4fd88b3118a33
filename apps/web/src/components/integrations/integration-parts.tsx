import type { ReactNode } from 'react';

export interface ConnectionTestResult {
  ok: boolean;
  toolCount: number;
  error: string | null;
}

function statusTone(status: string): string {
  if (status === 'ok') return 'badge badge-good';
  if (status === 'error') return 'badge badge-bad';
  return 'badge';
}

/** The stored outcome of the last connection check ("unknown" until tested). */
export function StatusBadge({ status, lastError }: { status: string; lastError: string | null }) {
  return (
    <span className={statusTone(status)} title={lastError ?? undefined} data-testid="connection-status">
      {status === 'ok' ? 'connected' : status === 'unknown' ? 'not tested yet' : status}
    </span>
  );
}

/** The answer of a "Test" click, announced to screen readers. */
export function TestResultLine({ result, error }: { result: ConnectionTestResult | undefined; error: string | null }) {
  if (error) return <p role="status" className="test-result test-result-error" data-testid="test-result">Test failed: {error}</p>;
  if (!result) return null;
  return (
    <p role="status" className={`test-result ${result.ok ? 'test-result-ok' : 'test-result-error'}`} data-testid="test-result">
      {result.ok ? `Connected: ${result.toolCount} tools found.` : `Could not connect: ${result.error ?? 'unknown error'}`}
    </p>
  );
}

/** A titled panel for one part of the page. */
export function Section({ id, title, hint, children }: { id: string; title: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel integrations-section" aria-labelledby={`${id}-title`} data-testid={`${id}-section`}>
      <header>
        <h2 id={`${id}-title`}>{title}</h2>
        {hint ? <span className="muted" style={{ fontSize: 13 }}>{hint}</span> : null}
      </header>
      {children}
    </section>
  );
}
