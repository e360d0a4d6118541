import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = new URL('../main.ts', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'tollgate-lint-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tollgate(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [MAIN, '--data-dir', join(work, 'data'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

mkdirSync(join(work, 'repo'), { recursive: true });
writeFileSync(join(work, 'repo', 'Dockerfile'), 'FROM debian:12\nRUN curl -fsSL https://x | sh\n');
mkdirSync(join(work, 'clean'), { recursive: true });
writeFileSync(join(work, 'clean', 'Dockerfile'), 'FROM debian:12@sha256:0000000000000000000000000000000000000000000000000000000000000000\nUSER 10001\nCMD ["app"]\n');

describe('tollgate lint', () => {
  it('prints a table and exits 1 when a finding is at or above --fail-on (default error)', () => {
    const r = tollgate(['lint', join(work, 'repo')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('DF1001');
    expect(r.stdout).toMatch(/1 files, \d+ findings/);
  });

  it('exits 0 when nothing reaches the threshold', () => {
    expect(tollgate(['lint', join(work, 'clean')]).status).toBe(0);
    expect(tollgate(['lint', join(work, 'clean'), '--fail-on', 'info']).status).toBe(1);
  });

  it('writes JSON with the hadolint equivalent of each finding', () => {
    const r = tollgate(['lint', join(work, 'repo'), '--format', 'json', '-o', join(work, 'out.json')]);
    expect(r.status).toBe(1);
    const doc = JSON.parse(readFileSync(join(work, 'out.json'), 'utf8')) as { findings: { ruleId: string; hadolint: string | null }[] };
    expect(doc.findings.find((f) => f.ruleId === 'DF4025')?.hadolint).toBe('DL4006');
    expect(doc.findings.find((f) => f.ruleId === 'DF1001')?.hadolint).toBeNull();
  });

  it('writes SARIF 2.1.0', () => {
    const r = tollgate(['lint', join(work, 'repo'), '--format', 'sarif']);
    const doc = JSON.parse(r.stdout) as { version: string; runs: { results: unknown[] }[] };
    expect(doc.version).toBe('2.1.0');
    expect(doc.runs[0]?.results.length).toBeGreaterThan(0);
  });

  it('exits 3 for a missing path and 2 for a bad config or flag', () => {
    expect(tollgate(['lint', join(work, 'missing')]).status).toBe(3);
    writeFileSync(join(work, 'bad.yaml'), 'rules: { DF1001: fatal }\n');
    expect(tollgate(['lint', join(work, 'repo'), '--config', join(work, 'bad.yaml')]).status).toBe(2);
    expect(tollgate(['lint', '--fail-on', 'never']).status).toBe(2);
  });
});
