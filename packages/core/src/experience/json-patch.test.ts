import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { applyJsonPatch, escapeJsonPointerToken, jsonEquals, parseJsonPointer } from './json-patch';

const document = () => ({ a: { b: [1, 2, 3], 'x/y': 1, 'm~n': 2 }, c: 'text' });

describe('JSON Pointer', () => {
  it('unescapes ~1 to / and ~0 to ~, in that order', () => {
    expect(parseJsonPointer('/a/x~1y')).toEqual(['a', 'x/y']);
    expect(parseJsonPointer('/m~0n')).toEqual(['m~n']);
    expect(parseJsonPointer('/~01')).toEqual(['~1']);
    expect(parseJsonPointer('')).toEqual([]);
    expect(escapeJsonPointerToken('a/b~c')).toBe('a~1b~0c');
  });
});

describe('applyJsonPatch', () => {
  it('adds to objects, inserts into arrays and appends with -', () => {
    expect(applyJsonPatch(document(), [{ op: 'add', path: '/a/z', value: 9 }])).toMatchObject({ a: { z: 9 } });
    expect(applyJsonPatch(document(), [{ op: 'add', path: '/a/b/1', value: 9 }])).toMatchObject({ a: { b: [1, 9, 2, 3] } });
    expect(applyJsonPatch(document(), [{ op: 'add', path: '/a/b/-', value: 9 }])).toMatchObject({ a: { b: [1, 2, 3, 9] } });
    expect(applyJsonPatch(document(), [{ op: 'add', path: '/a/x~1y', value: 5 }])).toMatchObject({ a: { 'x/y': 5 } });
  });

  it('removes and replaces existing values only', () => {
    expect(applyJsonPatch(document(), [{ op: 'remove', path: '/a/b/0' }])).toMatchObject({ a: { b: [2, 3] } });
    expect(applyJsonPatch(document(), [{ op: 'replace', path: '/a/m~0n', value: 7 }])).toMatchObject({ a: { 'm~n': 7 } });
    expect(() => applyJsonPatch(document(), [{ op: 'remove', path: '/a/missing' }])).toThrow(/remove \/a\/missing/);
    expect(() => applyJsonPatch(document(), [{ op: 'replace', path: '/nope', value: 1 }])).toThrow(AppError);
  });

  it('moves and copies, and refuses moving a value into itself', () => {
    expect(applyJsonPatch(document(), [{ op: 'move', from: '/c', path: '/a/c' }])).toEqual({ a: { b: [1, 2, 3], 'x/y': 1, 'm~n': 2, c: 'text' } });
    const copied = applyJsonPatch(document(), [{ op: 'copy', from: '/a/b', path: '/d' }]) as { a: { b: number[] }; d: number[] };
    expect(copied.d).toEqual([1, 2, 3]);
    copied.d.push(4);
    expect(copied.a.b).toEqual([1, 2, 3]);
    expect(() => applyJsonPatch(document(), [{ op: 'move', from: '/a', path: '/a/inner' }])).toThrow(/into itself/);
  });

  it('tests values structurally and stops the patch on a failed test', () => {
    expect(applyJsonPatch(document(), [{ op: 'test', path: '/a/b', value: [1, 2, 3] }])).toEqual(document());
    expect(() => applyJsonPatch(document(), [{ op: 'test', path: '/c', value: 'other' }, { op: 'remove', path: '/c' }])).toThrow(/operation 0 \(test \/c\)/);
  });

  it('never changes the input, even when a later operation fails', () => {
    const input = document();
    expect(() => applyJsonPatch(input, [{ op: 'remove', path: '/c' }, { op: 'add', path: '/a/b/9', value: 1 }])).toThrow(/operation 1 \(add \/a\/b\/9\).*out of bounds/);
    expect(input).toEqual(document());
  });

  it('refuses bad array indexes and pointers without a leading slash', () => {
    expect(() => applyJsonPatch(document(), [{ op: 'add', path: '/a/b/01', value: 1 }])).toThrow(/not an array index/);
    expect(() => applyJsonPatch(document(), [{ op: 'add', path: 'a', value: 1 }])).toThrow(/JSON Pointer/);
  });

  it('compares JSON ignoring key order', () => {
    expect(jsonEquals({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });
});
