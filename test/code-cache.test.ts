import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheFolder, commandOf } from '../bin/code-cache.js';

const work = mkdtempSync(join(tmpdir(), 'tollgate-code-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('bin/code-cache', () => {
  it('names the command a run is for, past global options and their values', () => {
    expect(commandOf(['sbom', 'oci:x'])).toBe('sbom');
    expect(commandOf(['--data-dir', 'sbom', '--no-progress', 'scan', 'x'])).toBe('scan');
    expect(commandOf(['-c', 'cfg.yaml', '--log-level', 'debug', 'db', 'import'])).toBe('db');
    expect(commandOf(['--data-dir=/x', 'inspect'])).toBe('inspect');
    expect(commandOf(['--version'])).toBe('none');
    expect(commandOf(['../../etc/passwd'])).toBe('other');
    expect(commandOf(['A'.repeat(40)])).toBe('other');
  });

  it('uses a folder only when it is ours and closed to others, and not at all when turned off', () => {
    const fresh = join(work, 'fresh', 'code-cache');
    expect(cacheFolder({ TOLLGATE_CODE_CACHE_DIR: fresh })).toBe(fresh);
    expect(lstatSync(fresh).mode & 0o777).toBe(0o700);

    const open = join(work, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(cacheFolder({ TOLLGATE_CODE_CACHE_DIR: open })).toBeUndefined();
    chmodSync(open, 0o750);
    expect(cacheFolder({ TOLLGATE_CODE_CACHE_DIR: open })).toBe(open);

    expect(cacheFolder({ TOLLGATE_CODE_CACHE_DIR: fresh, TOLLGATE_CODE_CACHE: '0' })).toBeUndefined();
    // a home that cannot be written: a per-user folder in the OS temp folder instead
    const readOnlyHome = join(work, 'file-as-home');
    writeFileSync(readOnlyHome, 'x');
    const fallback = cacheFolder({ XDG_CACHE_HOME: readOnlyHome });
    expect(fallback).toBe(join(tmpdir(), `tollgate-code-cache-${String(process.getuid?.() ?? 'user')}`));
    expect(lstatSync(fallback as string).mode & 0o022).toBe(0);

    // a file where the folder should be
    const file = join(work, 'file');
    writeFileSync(file, 'x');
    expect(cacheFolder({ TOLLGATE_CODE_CACHE_DIR: file })).toBeUndefined();
    // someone else's folder (only root can make one here)
    if (process.getuid?.() === 0) {
      const theirs = join(work, 'theirs');
      mkdirSync(theirs, { mode: 0o700 });
      chownSync(theirs, 12345, 12345);
      expect(cacheFolder({ TOLLGATE_CODE_CACHE_DIR: theirs })).toBeUndefined();
    }
  });
});
