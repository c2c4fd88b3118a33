'use client';

import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { useWorkspaceId } from '../console/workspace-context';

/**
 * A request an agent made that needs a person: nothing runs until someone
 * signed in approves it here (typing "yes" in the chat approves nothing).
 */
export function ApprovalCard({ approvalId, title, summary }: { approvalId: string; title: string; summary: string }) {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const approve = useMutation(trpc.workflows.approve.mutationOptions());
  const reject = useMutation(trpc.workflows.reject.mutationOptions());
  const decided = approve.data ?? reject.data;
  const error = approve.error ?? reject.error;
  const pending = approve.isPending || reject.isPending;
  return (
    <div className="panel" data-testid="approval-card" role="group" aria-label={`Approval needed: ${title}`}>
      <strong>Approval needed: {title}</strong>
      <p className="muted">{summary}</p>
      {decided ? (
        <p role="status" data-testid="approval-outcome">
          {decided.status === 'approved'
            ? decided.startedRunId
              ? <>Approved: the workflow is running (<a href={`/workflows?run=${decided.startedRunId}`}>open the run</a>).</>
              : decided.toolResult
                ? `Approved: ${decided.toolResult.tool} ${decided.toolResult.isError ? 'answered with an error' : 'was called'}.`
                : 'Approved.'
            : 'Rejected: nothing was run.'}
        </p>
      ) : (
        <div className="row">
          <button type="button" disabled={pending} onClick={() => approve.mutate({ workspaceId, approvalId })} data-testid="approval-approve">
            Approve
          </button>
          <button type="button" className="button-secondary" disabled={pending} onClick={() => reject.mutate({ workspaceId, approvalId })} data-testid="approval-reject">
            Reject
          </button>
        </div>
      )}
      {error ? <div className="error-box" role="alert">{error.message}</div> : null}
    </div>
  );
}
