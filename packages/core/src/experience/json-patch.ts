import { z } from 'zod';
import { AppError } from '../errors';

/** One RFC 6902 operation. */
export const JsonPatchOperation = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add'), path: z.string(), value: z.unknown() }),
  z.object({ op: z.literal('remove'), path: z.string() }),
  z.object({ op: z.literal('replace'), path: z.string(), value: z.unknown() }),
  z.object({ op: z.literal('move'), from: z.string(), path: z.string() }),
  z.object({ op: z.literal('copy'), from: z.string(), path: z.string() }),
  z.object({ op: z.literal('test'), path: z.string(), value: z.unknown() }),
]);
export type JsonPatchOperation = z.infer<typeof JsonPatchOperation>;
export const JsonPatch = z.array(JsonPatchOperation).max(200);
export type JsonPatch = z.infer<typeof JsonPatch>;

type JsonContainer = Record<string, unknown> | unknown[];

/** Splits a JSON Pointer (RFC 6901) into unescaped tokens: `~1` is `/`, `~0` is `~`. */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`"${pointer}" is not a JSON Pointer (it must start with "/")`);
  return pointer.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Escapes one token for a JSON Pointer. */
export function escapeJsonPointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

const isContainer = (value: unknown): value is JsonContainer => typeof value === 'object' && value !== null;
const isRecord = (value: unknown): value is Record<string, unknown> => isContainer(value) && !Array.isArray(value);

function arrayIndex(token: string, length: number, allowEnd: boolean): number {
  if (allowEnd && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new Error(`"${token}" is not an array index`);
  const index = Number(token);
  if (index > length || (!allowEnd && index === length)) throw new Error(`index ${index} is out of bounds`);
  return index;
}

function resolveParent(document: unknown, tokens: string[]): { parent: JsonContainer; key: string } {
  if (tokens.length === 0) throw new Error('the operation needs a location inside the document');
  let current = document;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) current = current[arrayIndex(token, current.length, false)];
    else if (isRecord(current) && Object.hasOwn(current, token)) current = current[token];
    else throw new Error(`"${token}" does not exist`);
  }
  if (!isContainer(current)) throw new Error('the parent is not an object or array');
  return { parent: current, key: tokens.at(-1)! };
}

function readValue(document: unknown, pointer: string): unknown {
  let current = document;
  for (const token of parseJsonPointer(pointer)) {
    if (Array.isArray(current)) current = current[arrayIndex(token, current.length, false)];
    else if (isRecord(current) && Object.hasOwn(current, token)) current = current[token];
    else throw new Error(`"${token}" does not exist`);
  }
  return current;
}

function addValue(document: unknown, pointer: string, value: unknown): unknown {
  const tokens = parseJsonPointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = resolveParent(document, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(key, parent.length, true), 0, value);
  else parent[key] = value;
  return document;
}

function removeValue(document: unknown, pointer: string): unknown {
  const tokens = parseJsonPointer(pointer);
  const { parent, key } = resolveParent(document, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(key, parent.length, false), 1);
  else if (Object.hasOwn(parent, key)) delete parent[key];
  else throw new Error(`"${key}" does not exist`);
  return document;
}

/** Structural equality of JSON values (key order does not matter). */
export function jsonEquals(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    return Array.isArray(left) && Array.isArray(right) && left.length === right.length && left.every((item, index) => jsonEquals(item, right[index]));
  }
  if (!isRecord(left) || !isRecord(right)) return false;
  const leftKeys = Object.keys(left);
  return leftKeys.length === Object.keys(right).length && leftKeys.every((key) => Object.hasOwn(right, key) && jsonEquals(left[key], right[key]));
}

function applyOperation(document: unknown, operation: JsonPatchOperation): unknown {
  switch (operation.op) {
    case 'add':
      return addValue(document, operation.path, structuredClone(operation.value));
    case 'remove':
      return removeValue(document, operation.path);
    case 'replace':
      readValue(document, operation.path);
      return addValue(removeValue(document, operation.path), operation.path, structuredClone(operation.value));
    case 'move': {
      if (operation.path.startsWith(`${operation.from}/`)) throw new Error('cannot move a value into itself');
      const value = readValue(document, operation.from);
      return addValue(removeValue(document, operation.from), operation.path, value);
    }
    case 'copy':
      return addValue(document, operation.path, structuredClone(readValue(document, operation.from)));
    case 'test':
      if (!jsonEquals(readValue(document, operation.path), operation.value)) throw new Error('the value differs from the expected one');
      return document;
  }
}

/**
 * Applies an RFC 6902 patch to a copy of `document`; the input is never
 * touched, so a failing operation leaves the caller's value as it was. A
 * failure is an AppError BAD_REQUEST naming the operation, its index and path.
 */
export function applyJsonPatch<T>(document: T, patch: readonly JsonPatchOperation[]): unknown {
  let result: unknown = structuredClone(document);
  patch.forEach((operation, index) => {
    try {
      result = applyOperation(result, operation);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError('BAD_REQUEST', `Patch operation ${index} (${operation.op} ${operation.path}) failed: ${reason}`, {
        issues: [{ path: operation.path, message: reason }],
      });
    }
  });
  return result;
}
