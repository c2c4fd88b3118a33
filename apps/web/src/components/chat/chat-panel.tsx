'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useMemo, useState, type FormEvent } from 'react';
import type { ChatEvent } from '@opspilot/core/agents';
import { useTRPC } from '~/trpc/react';
import { useWorkspaceId } from '../console/workspace-context';
import { ApprovalCard } from './approval-card';

interface Turn {
  afterSeq: number;
  question: string;
}

type Item =
  | { kind: 'user'; key: string; text: string }
  | { kind: 'text'; key: string; text: string; done: boolean }
  | { kind: 'tool'; key: string; tool: string; state: 'running' | 'ok' | 'error' }
  | { kind: 'approval'; key: string; approvalId: string; title: string; summary: string }
  | { kind: 'patch'; key: string; applied: boolean; version: number | null; context: string }
  | { kind: 'error'; key: string; message: string }
  | { kind: 'plan'; key: string; steps: { agent: string; goal: string; status: 'waiting' | 'started' | 'finished' | 'skipped' }[]; detail: string | null };

/** Folds the ordered event log (plus the questions asked here) into what the person reads. */
function buildItems(turns: Turn[], events: ChatEvent[]): Item[] {
  const items: Item[] = [];
  let turnIndex = 0;
  let text: Extract<Item, { kind: 'text' }> | null = null;
  const tools = new Map<string, Extract<Item, { kind: 'tool' }>>();
  let plan: Extract<Item, { kind: 'plan' }> | null = null;
  let plannerDetail: string | null = null;
  for (const event of events) {
    while (turnIndex < turns.length && turns[turnIndex]!.afterSeq < event.seq) {
      items.push({ kind: 'user', key: `user-${turnIndex}`, text: turns[turnIndex]!.question });
      text = null;
      plan = null;
      turnIndex += 1;
    }
    switch (event.type) {
      case 'text-delta':
        if (!text) items.push((text = { kind: 'text', key: `text-${event.seq}`, text: '', done: false }));
        text.text += event.text;
        break;
      case 'tool-call': {
        const chip = { kind: 'tool' as const, key: `tool-${event.callId}`, tool: event.tool, state: 'running' as const };
        tools.set(event.callId, chip);
        items.push(chip);
        break;
      }
      case 'tool-result': {
        const chip = tools.get(event.callId);
        if (chip) chip.state = event.isError ? 'error' : 'ok';
        break;
      }
      case 'approval-request':
        items.push({ kind: 'approval', key: `approval-${event.approvalId}`, approvalId: event.approvalId, title: event.title, summary: event.summary });
        break;
      case 'ui-patch':
        items.push({ kind: 'patch', key: `patch-${event.seq}`, applied: event.applied, version: event.version, context: event.context });
        break;
      case 'error':
        // An error ends the turn like `done`: the partial answer stops being busy.
        if (text) text.done = true;
        text = null;
        items.push({ kind: 'error', key: `error-${event.seq}`, message: event.message });
        break;
      case 'done':
        if (text) text.done = true;
        text = null;
        break;
      case 'plan':
        items.push((plan = { kind: 'plan', key: `plan-${event.seq}`, steps: event.steps.map((step) => ({ ...step, status: 'waiting' as const })), detail: plannerDetail }));
        break;
      case 'agent-status':
        if (event.agent === 'planner') {
          // The planner says who planned the turn (the model, or the grammar and why) when it finishes.
          plannerDetail = event.detail ?? plannerDetail;
          if (plan && event.detail) plan.detail = event.detail;
        } else if (plan) {
          const step = plan.steps.find((candidate) => candidate.agent === event.agent && candidate.status !== 'finished' && candidate.status !== 'skipped');
          if (step) step.status = event.status;
        }
        break;
    }
  }
  for (; turnIndex < turns.length; turnIndex += 1) items.push({ kind: 'user', key: `user-${turnIndex}`, text: turns[turnIndex]!.question });
  return items;
}

function ItemView({ item }: { item: Item }) {
  switch (item.kind) {
    case 'user':
      return <div className="chat-message chat-user">{item.text}</div>;
    case 'text':
      return <div className="chat-message" data-testid="chat-answer" aria-busy={!item.done}>{item.text}</div>;
    case 'tool':
      return <span className="chip" data-testid="tool-chip">{item.state === 'running' ? '⏳' : item.state === 'ok' ? '✓' : '⚠'} {item.tool}</span>;
    case 'approval':
      return <ApprovalCard approvalId={item.approvalId} title={item.title} summary={item.summary} />;
    case 'patch':
      return <span className="chip" data-testid="ui-patch-chip">{item.applied ? `Dashboard updated (v${item.version ?? '?'})` : 'Dashboard change refused'}</span>;
    case 'error':
      return <div className="error-box" role="alert">{item.message}</div>;
    case 'plan':
      return <PlanView item={item} />;
  }
}

/** The server's limit on one chat message (packages/api chat.send input). */
const maxMessageLength = 8000;

/** A refusal of the question itself (the server names the field and why) reads as such; other failures as they are. */
function describeSendError(message: string): string {
  return message.startsWith('Invalid input: ') ? `The question was not accepted. ${message}` : message;
}

const stepMarks = { waiting: '·', started: '⏳', finished: '✓', skipped: '–' } as const;

/** The turn's plan: which agents work on it, how far they got, and who planned it. */
function PlanView({ item }: { item: Extract<Item, { kind: 'plan' }> }) {
  return (
    <details className="chat-plan muted" data-testid="chat-plan">
      <summary>Plan: {item.steps.map((step) => `${stepMarks[step.status]} ${step.agent}`).join(' → ')}</summary>
      <ol>{item.steps.map((step, index) => <li key={index}>{step.agent}: {step.goal} <span className="visually-hidden">({step.status})</span></li>)}</ol>
      {item.detail ? <p>{item.detail}</p> : null}
    </details>
  );
}

/** Chat with OpsPilot: streamed answers, tool chips, approval cards; dashboard patches apply in place. */
export function ChatPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspaceId = useWorkspaceId();
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [events, setEvents] = useState<ChatEvent[]>([]);
  const [draft, setDraft] = useState('');
  const [pending, setPending] = useState<string | null>(null);
  const createSession = useMutation(trpc.chat.createSession.mutationOptions());
  const send = useMutation(trpc.chat.send.mutationOptions());
  useSubscription(trpc.chat.onEvents.subscriptionOptions({ workspaceId, sessionId: sessionId ?? '' }, {
    enabled: Boolean(sessionId),
    onData: (envelope) => {
      const event = envelope.data as ChatEvent;
      setEvents((current) => (current.some((seen) => seen.seq === event.seq) ? current : [...current, event].sort((a, b) => a.seq - b.seq)));
      if (event.type === 'ui-patch' && event.applied) {
        void queryClient.invalidateQueries({ queryKey: trpc.ui.get.queryKey({ workspaceId, context: event.context }) });
      }
    },
  }));
  const items = useMemo(() => buildItems(turns, events), [turns, events]);
  const busy = createSession.isPending || send.isPending;
  const paused = createSession.isPaused || send.isPaused;
  const tooLong = draft.trim().length > maxMessageLength;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const question = draft.trim();
    if (!question || busy || question.length > maxMessageLength) return;
    setDraft('');
    setPending(question);
    try {
      const id = sessionId ?? (await createSession.mutateAsync({ workspaceId, title: question.slice(0, 80) })).id;
      if (!sessionId) setSessionId(id);
      const started = await send.mutateAsync({ workspaceId, sessionId: id, message: question });
      setTurns((current) => [...current, { afterSeq: started.afterSeq, question }]);
    } catch {
      // The error shows below the log; the question goes back into the box so nothing typed is lost.
      setDraft((current) => current || question);
    } finally {
      setPending(null);
    }
  };
  const failure = send.error ?? createSession.error;
  return (
    <section className="chat" aria-label="Chat with OpsPilot">
      <div className="chat-log" aria-live="polite" data-testid="chat-log">
        {items.length === 0 ? <p className="muted">Ask about the business: “What is our MRR?”, “Why did sign-ups drop?”, “Add a churn chart by plan”.</p> : null}
        {items.map((item) => <ItemView key={item.key} item={item} />)}
        {pending ? <div className="chat-message chat-user" data-testid="chat-pending">{pending}<span className="muted"> · sending…</span></div> : null}
        {paused ? <p className="muted" role="status" data-testid="chat-offline">You are offline. The question goes out as soon as the connection is back.</p> : null}
        {failure && !busy ? <div className="error-box" role="alert" data-testid="chat-error">{describeSendError(failure.message)}</div> : null}
      </div>
      <form onSubmit={(event) => void submit(event)} className="chat-form">
        <div className="row">
          <label htmlFor="chat-input" className="visually-hidden">Message</label>
          <input id="chat-input" value={draft} onChange={(event) => setDraft(event.target.value)} placeholder="Ask OpsPilot…" style={{ flex: 1, minWidth: 0 }} autoComplete="off"
            aria-invalid={tooLong || undefined} aria-describedby={tooLong ? 'chat-too-long' : undefined} />
          <button type="submit" disabled={busy || !draft.trim() || tooLong}>Send</button>
        </div>
        {tooLong ? <p id="chat-too-long" className="chat-form-error" data-testid="chat-too-long">{`This question is ${draft.trim().length.toLocaleString('en-US')} characters long; the limit is ${maxMessageLength.toLocaleString('en-US')}. Shorten it to send.`}</p> : null}
      </form>
    </section>
  );
}
