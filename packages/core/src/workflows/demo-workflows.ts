import type { WorkflowDefinitionInput } from './definition';

/** A workflow the demo workspace is seeded with. */
export interface DemoWorkflow {
  key: string;
  name: string;
  description: string;
  reversible: boolean;
  definition: WorkflowDefinitionInput;
}

const failedPaymentFollowUp: DemoWorkflow = {
  key: 'failed-payment-follow-up',
  name: 'Failed-payment follow-up',
  description: 'Finds failed invoices, tells #revenue on Slack and, after approval, opens a Linear issue to follow up.',
  reversible: false,
  definition: {
    nodes: [
      { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
      { id: 'weekdayMorning', kind: 'trigger', trigger: { type: 'cron', cron: '0 9 * * 1-5', timezone: 'America/New_York' } },
      { id: 'findInvoices', kind: 'action', tool: 'stripe__list_failed_invoices', input: { limit: 50 } },
      { id: 'hasFailures', kind: 'condition', expression: 'length(nodes.findInvoices.output.invoices) > 0' },
      {
        id: 'notifyBilling', kind: 'action', tool: 'slack__post_message',
        input: { channel: '#revenue', text: '{{ length(nodes.findInvoices.output.invoices) }} invoices are failing payment (dunning).' },
      },
      {
        id: 'approveIssue', kind: 'approval', title: 'Open a Linear issue for the failed payments?',
        summary: '{{ length(nodes.findInvoices.output.invoices) }} failed invoices need a follow-up.', expiresInMinutes: 24 * 60,
      },
      {
        id: 'createIssue', kind: 'action', tool: 'linear__create_issue',
        input: { title: 'Follow up on {{ length(nodes.findInvoices.output.invoices) }} failed payments', description: 'Opened by the failed-payment follow-up workflow.' },
      },
    ],
    edges: [
      { from: 'start', to: 'findInvoices' },
      { from: 'weekdayMorning', to: 'findInvoices' },
      { from: 'findInvoices', to: 'hasFailures' },
      { from: 'hasFailures', to: 'notifyBilling', label: 'true' },
      { from: 'notifyBilling', to: 'approveIssue' },
      { from: 'approveIssue', to: 'createIssue', label: 'approved' },
    ],
  },
};

const latencyRegression: DemoWorkflow = {
  key: 'latency-regression-rollback',
  name: 'Latency regression rollback',
  description: 'When p95 latency regresses, asks for approval, rolls back the last deploy and tells #ops.',
  reversible: true,
  definition: {
    nodes: [
      { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
      { id: 'latencyAnomaly', kind: 'trigger', trigger: { type: 'anomaly', match: { metric: 'latency_p95', severity: 'warning' } } },
      {
        id: 'approveRollback', kind: 'approval', title: 'Roll back the last deploy?',
        summary: 'p95 latency regressed ({{ input.signal.metric ?? "latency_p95" }}). Rolling back restores the previous version.', expiresInMinutes: 60,
      },
      {
        id: 'rollback', kind: 'action', tool: 'deploys.rollback',
        input: { service: '{{ input.signal.labels.service ?? "api" }}', reason: 'Latency regression' }, retry: { maxAttempts: 2 },
      },
      {
        id: 'notifyOps', kind: 'action', tool: 'slack__post_message',
        input: { channel: '#ops', text: 'Rolled back {{ nodes.rollback.output.service }} after a latency regression.' },
      },
    ],
    edges: [
      { from: 'start', to: 'approveRollback' },
      { from: 'latencyAnomaly', to: 'approveRollback' },
      { from: 'approveRollback', to: 'rollback', label: 'approved' },
      { from: 'rollback', to: 'notifyOps' },
    ],
  },
};

const churnSave: DemoWorkflow = {
  key: 'churn-save',
  name: 'Churn save',
  description: 'Finds accounts at risk of involuntary churn (failing payments), drafts outreach in Notion and tells customer success on Slack.',
  reversible: false,
  definition: {
    nodes: [
      { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
      // At risk: customers whose invoices are failing payment, the commonest cause of churn a SaaS can still save.
      { id: 'findAtRisk', kind: 'action', tool: 'stripe__list_failed_invoices', input: { limit: 20 } },
      {
        id: 'draft', kind: 'transform',
        output: { title: 'Churn save: {{ length(nodes.findAtRisk.output.invoices) }} at-risk accounts', accounts: '{{ nodes.findAtRisk.output.invoices }}' },
      },
      { id: 'fanOut', kind: 'parallel' },
      {
        id: 'draftOutreach', kind: 'action', tool: 'notion__create_page',
        input: { title: '{{ nodes.draft.output.title }}', content: 'Outreach plan for: {{ nodes.draft.output.accounts }}' },
      },
      {
        id: 'tellSuccess', kind: 'action', tool: 'slack__post_message',
        input: { channel: '#customer-success', text: '{{ nodes.draft.output.title }}: outreach drafted in Notion.' },
      },
      { id: 'done', kind: 'join' },
    ],
    edges: [
      { from: 'start', to: 'findAtRisk' },
      { from: 'findAtRisk', to: 'draft' },
      { from: 'draft', to: 'fanOut' },
      { from: 'fanOut', to: 'draftOutreach' },
      { from: 'fanOut', to: 'tellSuccess' },
      { from: 'draftOutreach', to: 'done' },
      { from: 'tellSuccess', to: 'done' },
    ],
  },
};

/** The demo workspace's workflows. */
export const demoWorkflows: readonly DemoWorkflow[] = [failedPaymentFollowUp, latencyRegression, churnSave];

/** Gateway tools the demo workflows call (the connectors must provide them). */
export const demoWorkflowToolNames: readonly string[] = [
  'stripe__list_failed_invoices',
  'slack__post_message',
  'linear__create_issue',
  'notion__create_page',
];
