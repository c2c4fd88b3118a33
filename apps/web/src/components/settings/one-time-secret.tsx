'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';

interface OneTimeSecretProps {
  title: string;
  /** The value to copy: an API key secret or an invitation link. */
  value: string;
  valueLabel: string;
  children: ReactNode;
  onDone: () => void;
  testId: string;
}

/**
 * A value the server returns once (it keeps only a hash): shown in a read-only
 * field with a copy button and a plain note that it will not be shown again.
 * It takes focus when it appears so nobody misses it.
 */
export function OneTimeSecret({ title, value, valueLabel, children, onDone, testId }: OneTimeSecretProps) {
  const regionRef = useRef<HTMLDivElement>(null);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => regionRef.current?.focus(), [value]);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('copied');
    } catch {
      // Clipboard access can be refused (permissions, insecure origin): the field stays selectable by hand.
      setCopied('failed');
    }
  }
  const fieldId = `${testId}-value`;
  return (
    <div ref={regionRef} className="one-time-secret" role="region" aria-label={title} tabIndex={-1} data-testid={testId}>
      <strong>{title}</strong>
      <div className="muted one-time-secret-note">{children}</div>
      <label htmlFor={fieldId} className="visually-hidden">{valueLabel}</label>
      <div className="row">
        <input id={fieldId} readOnly value={value} className="one-time-secret-value" data-testid={fieldId} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}>Copy</button>
        <button type="button" className="button-secondary" onClick={onDone}>Done</button>
      </div>
      <p role="status" className="muted" style={{ margin: 0, fontSize: 13 }}>
        {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copying was refused by the browser: select the text and copy it yourself.' : ''}
      </p>
    </div>
  );
}
