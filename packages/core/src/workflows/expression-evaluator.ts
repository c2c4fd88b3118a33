import { AppError, assertNever } from '../errors';
import { parseExpression, type BinaryOperator, type ExpressionNode } from './expression-parser';

/** Values an expression sees: plain JSON data. */
export type ExpressionScope = Record<string, unknown>;

/** The functions expressions may call; nothing else is reachable. */
const functions: Record<string, (...args: unknown[]) => unknown> = {
  length: (value) => (typeof value === 'string' || Array.isArray(value) ? value.length : isRecord(value) ? Object.keys(value).length : 0),
  contains: (container, item) =>
    typeof container === 'string' ? container.includes(String(item)) : Array.isArray(container) ? container.includes(item) : false,
  lower: (value) => toText(value).toLowerCase(),
  upper: (value) => toText(value).toUpperCase(),
  round: (value, digits) => {
    const factor = 10 ** (typeof digits === 'number' ? digits : 0);
    return Math.round(Number(value) * factor) / factor;
  },
  abs: (value) => Math.abs(Number(value)),
  number: (value) => Number(value),
  string: (value) => toText(value),
};

/** Text form of a value: strings as they are, everything else as JSON. */
function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

/** Names of the functions expressions may call. */
export const expressionFunctionNames: readonly string[] = Object.keys(functions);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: `constructor`, `__proto__` and prototype methods stay out of reach. */
function readProperty(target: unknown, key: unknown): unknown {
  if (Array.isArray(target)) {
    if (key === 'length') return target.length;
    return typeof key === 'number' && Number.isInteger(key) ? target[key] : undefined;
  }
  if (typeof target === 'string' && key === 'length') return target.length;
  if (!isRecord(target)) return undefined;
  const name = String(key);
  return Object.hasOwn(target, name) ? target[name] : undefined;
}

function isTruthy(value: unknown): boolean {
  return Boolean(value);
}

function compare(operator: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean {
  // Only numbers with numbers and strings with strings compare; anything else is false, never coerced.
  if (typeof left === 'number' && typeof right === 'number') return compareOrdered(operator, left, right);
  if (typeof left === 'string' && typeof right === 'string') return compareOrdered(operator, left, right);
  return false;
}

function compareOrdered<T extends number | string>(operator: '<' | '<=' | '>' | '>=', a: T, b: T): boolean {
  switch (operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return assertNever(operator);
  }
}

function equals(left: unknown, right: unknown): boolean {
  if (left === undefined) left = null;
  if (right === undefined) right = null;
  if (typeof left === 'object' || typeof right === 'object') return JSON.stringify(left) === JSON.stringify(right);
  return left === right;
}

function evaluateBinary(operator: BinaryOperator, node: { left: ExpressionNode; right: ExpressionNode }, scope: ExpressionScope): unknown {
  if (operator === '&&') return isTruthy(evaluateNode(node.left, scope)) ? evaluateNode(node.right, scope) : evaluateNode(node.left, scope);
  if (operator === '||') {
    const left = evaluateNode(node.left, scope);
    return isTruthy(left) ? left : evaluateNode(node.right, scope);
  }
  if (operator === '??') return evaluateNode(node.left, scope) ?? evaluateNode(node.right, scope);
  const left = evaluateNode(node.left, scope);
  const right = evaluateNode(node.right, scope);
  switch (operator) {
    case '+':
      return typeof left === 'string' || typeof right === 'string' ? `${toText(left)}${toText(right)}` : Number(left) + Number(right);
    case '-':
      return Number(left) - Number(right);
    case '*':
      return Number(left) * Number(right);
    case '/':
      return Number(left) / Number(right);
    case '%':
      return Number(left) % Number(right);
    case '==':
      return equals(left, right);
    case '!=':
      return !equals(left, right);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(operator, left, right);
    default:
      return assertNever(operator);
  }
}

function evaluateNode(node: ExpressionNode, scope: ExpressionScope): unknown {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'identifier':
      return readProperty(scope, node.name);
    case 'member':
      return readProperty(evaluateNode(node.object, scope), node.property);
    case 'index':
      return readProperty(evaluateNode(node.object, scope), evaluateNode(node.index, scope));
    case 'unary': {
      const operand = evaluateNode(node.operand, scope);
      return node.operator === '!' ? !isTruthy(operand) : -Number(operand);
    }
    case 'binary':
      return evaluateBinary(node.operator, node, scope);
    case 'conditional':
      return isTruthy(evaluateNode(node.test, scope)) ? evaluateNode(node.consequent, scope) : evaluateNode(node.alternate, scope);
    case 'call': {
      const implementation = Object.hasOwn(functions, node.callee) ? functions[node.callee] : undefined;
      if (!implementation) throw new AppError('BAD_REQUEST', `Unknown function "${node.callee}"`);
      return implementation(...node.args.map((argument) => evaluateNode(argument, scope)));
    }
    default:
      return assertNever(node);
  }
}

/** Evaluates a parsed expression against plain data. Missing paths yield undefined, never an exception. */
export function evaluateExpressionNode(node: ExpressionNode, scope: ExpressionScope): unknown {
  return evaluateNode(node, scope);
}

/** Parses and evaluates `source`; throws AppError('BAD_REQUEST') on syntax errors. */
export function evaluateExpression(source: string, scope: ExpressionScope): unknown {
  return evaluateNode(parseExpression(source), scope);
}

/**
 * Root identifiers and the node ids an expression reads (`nodes.x` or
 * `nodes["x"]`). A computed node id (`nodes[name]`) is reported as `dynamic`.
 */
export function collectExpressionReferences(node: ExpressionNode): { roots: Set<string>; nodeIds: Set<string>; functions: Set<string>; dynamic: boolean } {
  const references = { roots: new Set<string>(), nodeIds: new Set<string>(), functions: new Set<string>(), dynamic: false };
  const visit = (current: ExpressionNode): void => {
    switch (current.type) {
      case 'literal':
        return;
      case 'identifier':
        references.roots.add(current.name);
        if (current.name === 'nodes') references.dynamic = true;
        return;
      case 'member':
      case 'index': {
        const isNodesRoot = current.object.type === 'identifier' && current.object.name === 'nodes';
        if (isNodesRoot) {
          references.roots.add('nodes');
          const key = current.type === 'member' ? current.property : current.index.type === 'literal' ? String(current.index.value) : undefined;
          if (key === undefined) references.dynamic = true;
          else references.nodeIds.add(key);
          if (current.type === 'index') visit(current.index);
          return;
        }
        visit(current.object);
        if (current.type === 'index') visit(current.index);
        return;
      }
      case 'unary':
        return visit(current.operand);
      case 'binary':
        visit(current.left);
        return visit(current.right);
      case 'conditional':
        visit(current.test);
        visit(current.consequent);
        return visit(current.alternate);
      case 'call':
        references.functions.add(current.callee);
        return current.args.forEach(visit);
      default:
        return assertNever(current);
    }
  };
  visit(node);
  return references;
}
