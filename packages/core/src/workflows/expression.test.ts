import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { evaluateExpression } from './expression-evaluator';
import { parseExpression } from './expression-parser';
import { resolveTemplates } from './template';

const scope = { nodes: { find: { output: { count: 3, items: [{ id: 'a' }, { id: 'b' }], name: 'Acme' } } }, input: { threshold: 2 } };

describe('expression language', () => {
  it.each([
    ['nodes.find.output.count > input.threshold', true],
    ['nodes.find.output.count * 2 + 1', 7],
    ['(1 + 2) * 3 - 4 / 2 % 3', 7],
    ['nodes.find.output.items[1].id', 'b'],
    ['nodes["find"].output.name == "Acme" && !false', true],
    ['length(nodes.find.output.items) === 2', true],
    ['contains(lower(nodes.find.output.name), "acm")', true],
    ['nodes.missing.output.count ?? 10', 10],
    ['nodes.find.output.count >= 3 ? "many" : "few"', 'many'],
    ["'a' + 1", 'a1'],
    ['-nodes.find.output.count', -3],
    ['round(2.345, 2)', 2.35],
    ['null == nodes.nothing', true],
    ['"5" > 3', false],
  ])('%s', (source, expected) => {
    expect(evaluateExpression(source, scope)).toEqual(expected);
  });

  it('cannot reach prototypes or globals', () => {
    expect(evaluateExpression('nodes.constructor', scope)).toBeUndefined();
    expect(evaluateExpression('nodes.__proto__', scope)).toBeUndefined();
    expect(evaluateExpression('nodes.find.output.name.constructor', scope)).toBeUndefined();
    expect(evaluateExpression('process', scope)).toBeUndefined();
    expect(() => evaluateExpression('eval("1")', scope)).toThrow(/Unknown function "eval"/);
    expect(() => evaluateExpression('nodes.find.output.items.map(x)', scope)).toThrow(AppError);
  });

  it.each(['1 +', 'a..b', '"open', 'a ? b', 'f(1,', '1 # 2', ''])('refuses the syntax error in %j', (source) => {
    expect(() => parseExpression(source)).toThrow(AppError);
  });

  it('refuses deep nesting', () => {
    expect(() => parseExpression(`${'('.repeat(100)}1${')'.repeat(100)}`)).toThrow(/too deeply/);
  });

  it('resolves templates keeping the type of a whole-string template', () => {
    expect(resolveTemplates({ count: '{{ nodes.find.output.count }}', text: 'Found {{ nodes.find.output.count }} for {{ nodes.find.output.name }}', list: ['{{ input.threshold }}'], flag: true }, scope)).toEqual({
      count: 3, text: 'Found 3 for Acme', list: [2], flag: true,
    });
    expect(resolveTemplates('{{ nodes.find.output.items }}', scope)).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(resolveTemplates('ids: {{ nodes.find.output.items }}', scope)).toBe('ids: [{"id":"a"},{"id":"b"}]');
  });
});
