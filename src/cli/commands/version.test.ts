import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

function tollgate(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tollgate version compare', () => {
  it('prints -1, 0 or 1', () => {
    expect(tollgate(['version', 'compare', 'Debian:12', '1.0~rc1', '1.0'])).toMatchObject({ code: 0, stdout: '-1\n' });
    expect(tollgate(['version', 'compare', 'PyPI', '1.0.post1', '1.0'])).toMatchObject({ code: 0, stdout: '1\n' });
    expect(tollgate(['version', 'compare', 'Maven', '1.0', '1.0.0-ga'])).toMatchObject({ code: 0, stdout: '0\n' });
  });

  it('exits 2 with VERSION_INVALID on an unparseable version', () => {
    const r = tollgate(['version', 'compare', 'npm', '1.2', '1.2.3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('VERSION_INVALID');
  });

  it('reads pairs from standard input with -, one answer per line, failing bad lines', () => {
    const r = tollgate(['version', 'compare', 'Alpine:v3.19', '-'], '1.2.3-r1 1.2.3-r10\n1.2_rc1 1.2\n\n2.0 1.0\n');
    expect(r.stdout).toBe('-1\n-1\nerror\n1\n');
    expect(r.stderr).toContain('VERSION_INVALID: line 3');
    expect(r.code).toBe(2);
    expect(tollgate(['version', 'compare', 'rpm', '-'], '1.0 1.0\n')).toMatchObject({ code: 0, stdout: '0\n' });
  });
});
