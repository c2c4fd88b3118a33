import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { demoWorkflowToolNames, demoWorkflows } from './demo-workflows';
import { validateWorkflowDefinition } from './validation';

const knownTools = ['stripe__list_failed_invoices', 'slack__post_message'];
const trigger = { id: 'start', kind: 'trigger', trigger: { type: 'manual' } };

function refusal(definition: unknown): AppError {
  try {
    validateWorkflowDefinition(definition, { knownTools });
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the definition to be refused');
}

describe('validateWorkflowDefinition', () => {
  it('accepts the demo workflows given their tool names', () => {
    for (const demo of demoWorkflows) {
      expect(() => validateWorkflowDefinition(demo.definition, { knownTools: demoWorkflowToolNames })).not.toThrow();
    }
  });

  it('accepts every node kind together', () => {
    const definition = validateWorkflowDefinition({
      nodes: [
        trigger,
        { id: 'cron', kind: 'trigger', trigger: { type: 'cron', cron: '*/5 * * * *', timezone: 'Europe/Paris' } },
        { id: 'find', kind: 'action', tool: 'stripe__list_failed_invoices', input: {} },
        { id: 'check', kind: 'condition', expression: 'nodes.find.output.count > 0' },
        { id: 'fan', kind: 'parallel' },
        { id: 'wait', kind: 'delay', durationMs: 1000 },
        { id: 'shape', kind: 'transform', output: { n: '{{ nodes.find.output.count }}' } },
        { id: 'both', kind: 'join' },
        { id: 'ask', kind: 'approval', title: 'Go?' },
        { id: 'tell', kind: 'action', tool: 'notify', input: { message: '{{ nodes.shape.output.n }}' } },
      ],
      edges: [
        { from: 'start', to: 'find' }, { from: 'cron', to: 'find' }, { from: 'find', to: 'check' }, { from: 'check', to: 'fan', label: 'true' },
        { from: 'fan', to: 'wait' }, { from: 'fan', to: 'shape' }, { from: 'wait', to: 'both' }, { from: 'shape', to: 'both' }, { from: 'both', to: 'ask' },
        { from: 'ask', to: 'tell', label: 'approved' },
      ],
    }, { knownTools });
    expect(definition.nodes).toHaveLength(10);
  });

  it.each([
    ['an unknown tool', { nodes: [trigger, { id: 'act', kind: 'action', tool: 'jira__create', input: {} }], edges: [{ from: 'start', to: 'act' }] }, /Node "act": unknown tool "jira__create"/],
    ['a cycle', {
      nodes: [trigger, { id: 'a', kind: 'transform', output: 1 }, { id: 'b', kind: 'transform', output: 2 }],
      edges: [{ from: 'start', to: 'a' }, { from: 'a', to: 'b' }, { from: 'b', to: 'a' }],
    }, /Node "a" is on a cycle: a -> b -> a/],
    ['a dangling node', { nodes: [trigger, { id: 'a', kind: 'transform', output: 1 }, { id: 'lonely', kind: 'transform', output: 1 }], edges: [{ from: 'start', to: 'a' }] }, /Node "lonely" is dangling/],
    ['an edge to a missing node', { nodes: [trigger], edges: [{ from: 'start', to: 'ghost' }] }, /node "ghost" does not exist/],
    ['a template naming an unknown node', {
      nodes: [trigger, { id: 'a', kind: 'action', tool: 'notify', input: { message: '{{ nodes.nope.output.x }}' } }], edges: [{ from: 'start', to: 'a' }],
    }, /Node "a": template references unknown node "nope"/],
    ['a template naming a node that is not upstream', {
      nodes: [trigger, { id: 'a', kind: 'action', tool: 'notify', input: { message: '{{ nodes.b.output }}' } }, { id: 'b', kind: 'transform', output: 1 }],
      edges: [{ from: 'start', to: 'a' }, { from: 'a', to: 'b' }],
    }, /Node "a": template references node "b", which is not upstream/],
    ['a condition that does not parse', {
      nodes: [trigger, { id: 'check', kind: 'condition', expression: 'nodes.start.output >' }, { id: 'a', kind: 'transform', output: 1 }],
      edges: [{ from: 'start', to: 'check' }, { from: 'check', to: 'a', label: 'true' }],
    }, /Node "check": Expression/],
    ['a condition edge without a label', {
      nodes: [trigger, { id: 'check', kind: 'condition', expression: 'true' }, { id: 'a', kind: 'transform', output: 1 }],
      edges: [{ from: 'start', to: 'check' }, { from: 'check', to: 'a' }],
    }, /Node "check": edge to "a" needs label "true" or "false"/],
    ['an unknown root name', {
      nodes: [trigger, { id: 'a', kind: 'transform', output: '{{ process.env }}' }], edges: [{ from: 'start', to: 'a' }],
    }, /Node "a": unknown name "process"/],
    ['a bad cron', { nodes: [{ id: 'tick', kind: 'trigger', trigger: { type: 'cron', cron: 'every day' } }], edges: [] }, /Node "tick": Cron "every day"/],
    ['a bad time zone', { nodes: [{ id: 'tick', kind: 'trigger', trigger: { type: 'cron', cron: '0 * * * *', timezone: 'Mars/Olympus' } }], edges: [] }, /Node "tick"/],
    ['a schema error', { nodes: [trigger, { id: 'slow', kind: 'delay', durationMs: -1 }], edges: [{ from: 'start', to: 'slow' }] }, /Node "slow"/],
    ['a duplicate id', { nodes: [trigger, trigger], edges: [] }, /Node "start" is defined twice/],
    ['the reserved gate id', { nodes: [trigger, { id: 'suggestionGate', kind: 'transform', output: 1 }], edges: [{ from: 'start', to: 'suggestionGate' }] }, /Node "suggestionGate": the id is reserved/],
    ['no trigger', { nodes: [{ id: 'a', kind: 'transform', output: 1 }], edges: [] }, /needs at least one trigger/],
  ])('refuses %s and names the node', (_name, definition, message) => {
    const error = refusal(definition);
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(message);
    expect(error.issues.length).toBeGreaterThan(0);
  });
});
