import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError, errorCodes, isAppError, toAppError } from './errors.ts';

describe('core/errors', () => {
  it('documents every error code in docs/errors.md, one heading each', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const headings = new Set([...doc.matchAll(/^## ([A-Z0-9_]+)$/gm)].map((m) => m[1]));
    const missing = errorCodes().filter((code) => !headings.has(code));
    expect(missing).toEqual([]);
    const stale = [...headings].filter((h) => !errorCodes().includes(h as never));
    expect(stale).toEqual([]);
  });

  it('uses SCREAMING_SNAKE_CASE codes', () => {
    for (const code of errorCodes()) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  });

  it('derives the kind from the code and keeps details frozen', () => {
    const error = new AppError('DIGEST_MISMATCH', 'bad', { details: { digest: 'sha256:00' } });
    expect(error.kind).toBe('verification');
    expect(Object.isFrozen(error.details)).toBe(true);
    expect(isAppError(error, 'DIGEST_MISMATCH')).toBe(true);
    expect(isAppError(error, 'INTERNAL')).toBe(false);
  });

  it('turns anything else into INTERNAL at a boundary', () => {
    expect(toAppError(new Error('x')).code).toBe('INTERNAL');
  });
});
