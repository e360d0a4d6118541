import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.ts';
import { jsonNestingDepth, parseJsonLimited } from './json.ts';

const LIMITS = { maxBytes: 1024, maxDepth: 4 };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isAppError(error) ? error.code : 'not-an-app-error';
  }
  return undefined;
}

describe('jsonNestingDepth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['[[],[[]]]', 3],
    ['{"a":{"b":[1,{"c":2}]}}', 4],
    ['"[[[[[[["', 0],
    ['{"a":"\\"[[[[[[\\\\"}', 1],
    ['["\\\\", [["x"]]]', 3],
  ])('%s → %i', (text, depth) => {
    expect(jsonNestingDepth(Buffer.from(text))).toBe(depth);
  });
});

describe('parseJsonLimited', () => {
  it('parses a document within limits', () => {
    expect(parseJsonLimited(Buffer.from('{"a":[1,{"b":"[[[[[[[["}]}'), LIMITS, 'OCI_MANIFEST_INVALID')).toEqual({ a: [1, { b: '[[[[[[[[' }] });
  });

  it('refuses a document over the size limit', () => {
    expect(codeOf(() => parseJsonLimited(Buffer.alloc(1025, 0x20), LIMITS, 'OCI_MANIFEST_INVALID'))).toBe('LIMIT_MANIFEST_SIZE');
  });

  it('refuses deep nesting before parsing, even when the JSON is otherwise broken', () => {
    expect(codeOf(() => parseJsonLimited(Buffer.from('[[[[['), LIMITS, 'OCI_MANIFEST_INVALID'))).toBe('LIMIT_JSON_DEPTH');
    const bomb = Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(codeOf(() => parseJsonLimited(bomb, { maxBytes: 1e6, maxDepth: 64 }, 'OCI_MANIFEST_INVALID'))).toBe('LIMIT_JSON_DEPTH');
  });

  it('accepts exactly maxDepth', () => {
    expect(parseJsonLimited(Buffer.from('[[[[1]]]]'), LIMITS, 'OCI_CONFIG_INVALID')).toEqual([[[[1]]]]);
  });

  it('reports invalid JSON and invalid UTF-8 with the caller’s code', () => {
    expect(codeOf(() => parseJsonLimited(Buffer.from('{"a":'), LIMITS, 'OCI_CONFIG_INVALID'))).toBe('OCI_CONFIG_INVALID');
    expect(codeOf(() => parseJsonLimited(Buffer.from([0x22, 0xff, 0x22]), LIMITS, 'OCI_MANIFEST_INVALID'))).toBe('OCI_MANIFEST_INVALID');
  });
});
