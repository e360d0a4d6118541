import { describe, expect, it } from 'vitest';
import { parseChallenges } from './challenge.ts';
import { parseRetryAfter } from './transport.ts';

describe('parseChallenges', () => {
  it('parses a Bearer challenge with a scope holding commas', () => {
    expect(parseChallenges('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:org/app:pull,push"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:org/app:pull,push' } },
    ]);
  });

  it('parses Basic, several challenges, unquoted values and escapes', () => {
    expect(parseChallenges('Basic realm="Registry Realm"')).toEqual([{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
    expect(parseChallenges('Basic realm="a", Bearer realm=https://t/x, error="insufficient_scope"')).toEqual([
      { scheme: 'basic', params: { realm: 'a' } },
      { scheme: 'bearer', params: { realm: 'https://t/x', error: 'insufficient_scope' } },
    ]);
    expect(parseChallenges('Bearer realm="a\\"b"')).toEqual([{ scheme: 'bearer', params: { realm: 'a"b' } }]);
    expect(parseChallenges('')).toEqual([]);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['5', 5000],
    ['0', 0],
    ['Thu, 01 Jan 2026 00:00:03 GMT', 3000],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined],
  ])('%s → %s', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});
