import { evaluateExpressionNode, type ExpressionScope } from './expression-evaluator';
import { parseExpression, type ExpressionNode } from './expression-parser';

const templatePattern = /\{\{([\s\S]*?)\}\}/g;

/** Every `{{ expression }}` inside a string, parsed. Throws AppError('BAD_REQUEST') on syntax errors. */
export function parseTemplateExpressions(text: string): ExpressionNode[] {
  return [...text.matchAll(templatePattern)].map((match) => parseExpression(match[1] ?? ''));
}

/** Visits every string inside a JSON-like value, with its path (`input.channel`). */
export function visitTemplateStrings(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === 'string') {
    visit(value, path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => visitTemplateStrings(item, `${path}.${index}`, visit));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) visitTemplateStrings(item, path ? `${path}.${key}` : key, visit);
  }
}

function stringifyValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

function resolveString(text: string, scope: ExpressionScope): unknown {
  const whole = /^\{\{([\s\S]*?)\}\}$/.exec(text);
  // A string that is exactly one template keeps the value's type (a count stays a number).
  if (whole && !whole[1]?.includes('}}')) return evaluateExpressionNode(parseExpression(whole[1] ?? ''), scope) ?? null;
  return text.replace(templatePattern, (_match, source: string) => stringifyValue(evaluateExpressionNode(parseExpression(source), scope)));
}

/** Resolves every template inside a JSON-like value against the scope (earlier outputs, run input). */
export function resolveTemplates(value: unknown, scope: ExpressionScope): unknown {
  if (typeof value === 'string') return resolveString(value, scope);
  if (Array.isArray(value)) return value.map((item) => resolveTemplates(item, scope));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveTemplates(item, scope)]));
  }
  return value;
}
