'use client';

import { useEffect, useRef, useState } from 'react';

interface ConfirmInPlaceProps {
  /** The trigger's visible text, e.g. "Revoke". */
  label: string;
  /** What the action applies to, for accessible names ("Revoke Billing export"). */
  subject: string;
  question: string;
  confirmLabel: string;
  busyLabel: string;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
}

/**
 * A destructive action that asks once more in place (no modal), like connected
 * apps' revoke: the question appears where the button was, focus goes to
 * Cancel (the safe choice), and Cancel hands focus back to the trigger.
 */
export function ConfirmInPlace(props: ConfirmInPlaceProps) {
  const [confirming, setConfirming] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (returnFocus.current) triggerRef.current?.focus();
    returnFocus.current = false;
  }, [confirming]);
  function cancel() {
    returnFocus.current = true;
    setConfirming(false);
  }
  if (!confirming) {
    return (
      <button ref={triggerRef} type="button" className="button-secondary" aria-label={`${props.label} ${props.subject}`} onClick={() => setConfirming(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <div className="row" role="group" aria-label={`Confirm: ${props.label.toLowerCase()} ${props.subject}`}>
      <span className="muted">{props.question}</span>
      <button type="button" disabled={props.busy} onClick={props.onConfirm}>{props.busy ? props.busyLabel : props.confirmLabel}</button>
      <button ref={cancelRef} type="button" className="button-secondary" disabled={props.busy} onClick={cancel}>Cancel</button>
      {props.error ? <p role="alert" className="field-error">{props.error}</p> : null}
    </div>
  );
}
