import { describe, expect, it } from 'vitest';
import type { FileEntry } from './types.ts';
import { anyOf, globToRegExp, isExecutable, wantPaths } from './want.ts';

const entry = (path: string, mode = 0o644, type: FileEntry['type'] = 'file'): FileEntry => ({ path, type, mode, uid: 0, gid: 0, size: 1, layer: 'L' });

describe('want helpers', () => {
  it.each([
    ['/etc/os-release', '/etc/os-release', true],
    ['/etc/os-release', '/usr/etc/os-release', false],
    ['/usr/lib/**/*.so*', '/usr/lib/x86_64-linux-gnu/libc.so.6', true],
    ['/usr/lib/**/*.so*', '/usr/lib/libz.so', true],
    ['/usr/lib/**/*.so*', '/usr/share/libz.so', false],
    ['package.json', '/app/node_modules/ms/package.json', true],
    ['**/package.json', '/package.json', true],
    ['**/package.json', '/app/package.json.bak', false],
    ['/var/lib/dpkg/status', '/var/lib/dpkg/status', true],
    ['/var/lib/dpkg/info/*.list', '/var/lib/dpkg/info/bash.list', true],
    ['/var/lib/dpkg/info/*.list', '/var/lib/dpkg/info/sub/bash.list', false],
    ['/a?c', '/abc', true],
    ['/a?c', '/a/c', false],
    ['/x.(y)', '/x.(y)', true],
  ])('%s matches %s: %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });

  it('stays linear on long non-matching paths', () => {
    const re = globToRegExp('**/a/**/b/**/c.json');
    const path = `/${'a/'.repeat(2000)}x`;
    const started = Date.now();
    expect(re.test(path)).toBe(false);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('combines path globs with the executable predicate', () => {
    const want = anyOf(wantPaths(['/etc/os-release']), isExecutable);
    expect(want(entry('/etc/os-release'))).toBe(true);
    expect(want(entry('/usr/bin/env', 0o755))).toBe(true);
    expect(want(entry('/usr/bin', 0o755, 'dir'))).toBe(false);
    expect(want(entry('/etc/passwd'))).toBe(false);
  });
});
