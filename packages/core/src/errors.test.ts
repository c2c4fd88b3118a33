import { describe, expect, it } from 'vitest';
import { AppError, isAppError } from './errors';

describe('isAppError', () => {
  it('recognises an AppError of this module and one made by another copy of core (a second bundle chunk)', () => {
    expect(isAppError(new AppError('FORBIDDEN', 'no'))).toBe(true);
    // What a second copy's AppError looks like from here: another class, the same registered brand.
    class ForeignAppError extends Error {
      readonly code = 'NOT_FOUND';
      constructor(message: string) {
        super(message);
        Object.defineProperty(this, Symbol.for('opspilot.AppError'), { value: true });
      }
    }
    expect(new ForeignAppError('gone') instanceof AppError).toBe(false);
    expect(isAppError(new ForeignAppError('gone'))).toBe(true);
  });

  it('does not take other errors for AppErrors', () => {
    expect(isAppError(new Error('plain'))).toBe(false);
    expect(isAppError(Object.assign(new Error('coded'), { code: 'FORBIDDEN' }))).toBe(false);
    expect(isAppError({ [Symbol.for('opspilot.AppError')]: true, code: 'FORBIDDEN' })).toBe(false); // not an Error
  });
});
