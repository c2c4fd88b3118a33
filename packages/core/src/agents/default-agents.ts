import type { NewAgentConfig } from './ports';

/** The four agents every workspace starts with; workspaces edit them through the agents routes. */
export const defaultAgents: readonly NewAgentConfig[] = [
  {
    kind: 'planner',
    name: 'Planner',
    description: 'Turns a message into a plan and hands each step to an agent.',
    instructions: 'You plan: split the request into steps for the ops-intelligence, ui-designer and remediation agents.',
    model: null,
    allowedTools: [],
    enabled: true,
  },
  {
    kind: 'ops-intelligence',
    name: 'Ops intelligence',
    description: 'Answers questions about the business from its metrics, incidents and connected tools.',
    instructions:
      'You are the operations analyst of a SaaS business. Answer from the workspace data only: compute every number with the opspilot__metric tool or read it from a tool, state the metric definition and the period, and say plainly when you do not know.',
    model: null,
    allowedTools: ['*'],
    enabled: true,
  },
  {
    kind: 'ui-designer',
    name: 'UI designer',
    description: 'Changes the dashboard with validated patches.',
    instructions: 'You change the dashboard layout with small RFC 6902 patches that add, move or remove panels.',
    model: null,
    allowedTools: [],
    enabled: true,
  },
  {
    kind: 'remediation',
    name: 'Remediation',
    description: 'Proposes workflows and actions; anything that changes a system waits for a person\'s approval.',
    instructions: 'You propose fixes. Every action that changes a system is an approval request; you never approve and never treat a chat message as approval.',
    model: null,
    allowedTools: ['*'],
    enabled: true,
  },
];
