import { AppError } from '../errors';

/**
 * A small expression language for conditions and templates, parsed into an
 * AST and interpreted (never `eval`): literals, `nodes.a.output.count`,
 * `x[0]`, `! -`, `* / % + -`, comparisons, `== !=`, `&& || ??`, `a ? b : c`
 * and calls to a fixed set of functions.
 */
export type ExpressionNode =
  | { type: 'literal'; value: string | number | boolean | null }
  | { type: 'identifier'; name: string }
  | { type: 'member'; object: ExpressionNode; property: string }
  | { type: 'index'; object: ExpressionNode; index: ExpressionNode }
  | { type: 'unary'; operator: '!' | '-'; operand: ExpressionNode }
  | { type: 'binary'; operator: BinaryOperator; left: ExpressionNode; right: ExpressionNode }
  | { type: 'conditional'; test: ExpressionNode; consequent: ExpressionNode; alternate: ExpressionNode }
  | { type: 'call'; callee: string; args: ExpressionNode[] };

export type BinaryOperator = '*' | '/' | '%' | '+' | '-' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||' | '??';

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'punct'; value: string; at: number }
  | { kind: 'end'; at: number };

const maxLength = 2_000;
const maxDepth = 64;
const punctuators = ['===', '!==', '==', '!=', '<=', '>=', '&&', '||', '??', '<', '>', '+', '-', '*', '/', '%', '!', '(', ')', '[', ']', '.', ',', '?', ':'];

/** Binding power per operator; higher binds tighter. */
const precedence: Record<BinaryOperator, number> = {
  '??': 1, '||': 2, '&&': 3, '==': 4, '!=': 4, '<': 5, '<=': 5, '>': 5, '>=': 5, '+': 6, '-': 6, '*': 7, '/': 7, '%': 7,
};

function fail(source: string, at: number, message: string): never {
  throw new AppError('BAD_REQUEST', `Expression "${source}" at ${at}: ${message}`);
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const character = source[index] ?? '';
    if (/\s/.test(character)) {
      index += 1;
    } else if (/[0-9]/.test(character)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(index));
      const text = match?.[0] ?? character;
      tokens.push({ kind: 'number', value: Number(text), at: index });
      index += text.length;
    } else if (character === '"' || character === "'") {
      const { value, end } = readString(source, index);
      tokens.push({ kind: 'string', value, at: index });
      index = end;
    } else if (/[A-Za-z_$]/.test(character)) {
      const text = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(index))?.[0] ?? character;
      tokens.push({ kind: 'name', value: text, at: index });
      index += text.length;
    } else {
      const punct = punctuators.find((candidate) => source.startsWith(candidate, index));
      if (!punct) fail(source, index, `unexpected character "${character}"`);
      // `===` and `!==` are accepted as aliases: comparisons are always strict.
      tokens.push({ kind: 'punct', value: punct === '===' ? '==' : punct === '!==' ? '!=' : punct, at: index });
      index += punct.length;
    }
  }
  tokens.push({ kind: 'end', at: source.length });
  return tokens;
}

function readString(source: string, start: number): { value: string; end: number } {
  const quote = source[start];
  let value = '';
  let index = start + 1;
  while (index < source.length) {
    const character = source[index] ?? '';
    if (character === quote) return { value, end: index + 1 };
    if (character === '\\') {
      const next = source[index + 1] ?? '';
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      index += 2;
    } else {
      value += character;
      index += 1;
    }
  }
  return fail(source, start, 'unterminated string');
}

class Parser {
  private position = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  parseAll(): ExpressionNode {
    const node = this.parseExpression();
    const token = this.peek();
    if (token.kind !== 'end') fail(this.source, token.at, 'unexpected trailing input');
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position] ?? { kind: 'end', at: this.source.length };
  }

  private next(): Token {
    const token = this.peek();
    this.position += 1;
    return token;
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.value === value;
  }

  private expect(value: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.value !== value) fail(this.source, token.at, `expected "${value}"`);
  }

  private parseExpression(): ExpressionNode {
    this.depth += 1;
    if (this.depth > maxDepth) fail(this.source, this.peek().at, 'expression nests too deeply');
    const test = this.parseBinary(0);
    let result = test;
    if (this.isPunct('?')) {
      this.next();
      const consequent = this.parseExpression();
      this.expect(':');
      const alternate = this.parseExpression();
      result = { type: 'conditional', test, consequent, alternate };
    }
    this.depth -= 1;
    return result;
  }

  private parseBinary(minimum: number): ExpressionNode {
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'punct' || !(token.value in precedence)) return left;
      const operator = token.value as BinaryOperator;
      const power = precedence[operator];
      if (power <= minimum) return left;
      this.next();
      const right = this.parseBinary(power);
      left = { type: 'binary', operator, left, right };
    }
  }

  private parseUnary(): ExpressionNode {
    if (this.isPunct('!') || this.isPunct('-')) {
      const operator = this.next() as { value: '!' | '-' };
      return { type: 'unary', operator: operator.value, operand: this.parseUnary() };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(start: ExpressionNode): ExpressionNode {
    let node = start;
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        const name = this.next();
        if (name.kind !== 'name') fail(this.source, name.at, 'expected a property name after "."');
        node = { type: 'member', object: node, property: name.value };
      } else if (this.isPunct('[')) {
        this.next();
        const index = this.parseExpression();
        this.expect(']');
        node = { type: 'index', object: node, index };
      } else {
        return node;
      }
    }
  }

  private parsePrimary(): ExpressionNode {
    const token = this.next();
    switch (token.kind) {
      case 'number':
      case 'string':
        return { type: 'literal', value: token.value };
      case 'name':
        return this.parseName(token.value);
      case 'punct':
        if (token.value === '(') {
          const inner = this.parseExpression();
          this.expect(')');
          return inner;
        }
        return fail(this.source, token.at, `unexpected "${token.value}"`);
      case 'end':
        return fail(this.source, token.at, 'unexpected end of expression');
    }
  }

  private parseName(name: string): ExpressionNode {
    if (name === 'true' || name === 'false') return { type: 'literal', value: name === 'true' };
    if (name === 'null') return { type: 'literal', value: null };
    if (!this.isPunct('(')) return { type: 'identifier', name };
    this.next();
    const args: ExpressionNode[] = [];
    while (!this.isPunct(')')) {
      args.push(this.parseExpression());
      if (!this.isPunct(')')) this.expect(',');
    }
    this.expect(')');
    return { type: 'call', callee: name, args };
  }
}

/** Parses an expression or throws AppError('BAD_REQUEST') naming the position. */
export function parseExpression(source: string): ExpressionNode {
  if (source.length > maxLength) throw new AppError('BAD_REQUEST', `Expression is longer than ${maxLength} characters`);
  if (source.trim() === '') throw new AppError('BAD_REQUEST', 'Expression is empty');
  return new Parser(source, tokenize(source)).parseAll();
}
