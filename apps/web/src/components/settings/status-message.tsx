'use client';

import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A polite status line for the outcome of an action whose button disappears
 * with it (a revoked key, a removed member): it says what happened and takes
 * focus, so keyboard and screen-reader users are not dropped at the page top.
 */
export function useStatusMessage(testId: string): { element: ReactNode; announce: (message: string) => void } {
  const [status, setStatus] = useState({ message: '', count: 0 });
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (status.message) ref.current?.focus();
  }, [status]);
  const announce = useCallback((message: string) => setStatus((current) => ({ message, count: current.count + 1 })), []);
  const element = <p ref={ref} role="status" tabIndex={-1} className="settings-status muted" data-testid={testId}>{status.message}</p>;
  return { element, announce };
}
