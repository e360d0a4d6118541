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

  it('decides depth as the full scan does, many brackets or few, inside strings or not', () => {
    const docs = [
      '{"a":[1,{"b":"[[[[[[[["}]}', // few brackets, some in a string
      '[[],[],[],[],[],[],[]]', // many brackets, shallow
      '[[[[[1]]]]]', // deep, few brackets
      '{"a":"{{{{{{","b":[[["x"]]]}', // many in a string, deep enough
      '[{},{},[[[[1]]]]]',
    ];
    for (const text of docs) {
      const bytes = Buffer.from(text);
      const expected = jsonNestingDepth(bytes) > LIMITS.maxDepth ? 'LIMIT_JSON_DEPTH' : undefined;
      expect(codeOf(() => parseJsonLimited(bytes, LIMITS, 'OCI_MANIFEST_INVALID')), text).toBe(expected);
    }
  });

  it('decodes as TextDecoder does: strict UTF-8, a leading byte order mark dropped', () => {
    expect(parseJsonLimited(Buffer.from('\ufeff{"name":"Åsa 📦"}'), LIMITS, 'OCI_CONFIG_INVALID')).toEqual({ name: 'Åsa 📦' });
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]]) {
      const bytes = Buffer.from([0x22, ...bad, 0x22]);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
      expect(codeOf(() => parseJsonLimited(bytes, LIMITS, 'OCI_MANIFEST_INVALID'))).toBe('OCI_MANIFEST_INVALID');
    }
    // a view into a larger buffer decodes its own bytes only
    const backing = Buffer.from('xx{"a":1}yy');
    expect(parseJsonLimited(new Uint8Array(backing.buffer, backing.byteOffset + 2, 7), LIMITS, 'OCI_CONFIG_INVALID')).toEqual({ a: 1 });
  });

  it('reports invalid JSON and invalid UTF-8 with the caller’s code', () => {
    expect(codeOf(() => parseJsonLimited(Buffer.from('{"a":'), LIMITS, 'OCI_CONFIG_INVALID'))).toBe('OCI_CONFIG_INVALID');
    expect(codeOf(() => parseJsonLimited(Buffer.from([0x22, 0xff, 0x22]), LIMITS, 'OCI_MANIFEST_INVALID'))).toBe('OCI_MANIFEST_INVALID');
  });
});
