import { describe, expect, it } from 'vitest';
import { normaliseLookupPath } from './paths.ts';

describe('image/paths normaliseLookupPath', () => {
  it.each([
    ['/', '/'],
    ['', '/'],
    ['/usr/bin/env', '/usr/bin/env'],
    ['usr/bin/env', '/usr/bin/env'],
    ['/usr/bin/', '/usr/bin'],
    ['//usr//bin', '/usr/bin'],
    ['/usr/./bin', '/usr/bin'],
    ['/usr/.', '/usr'],
    ['/usr/lib/../bin', '/usr/bin'],
    ['/usr/..', '/'],
    ['/../../etc/passwd', '/etc/passwd'],
    ['/...', '/...'],
    ['/etc/.hidden', '/etc/.hidden'],
    ['/a/..b/c.', '/a/..b/c.'],
  ])('%j is %j', (path, normal) => {
    expect(normaliseLookupPath(path)).toBe(normal);
  });
});
