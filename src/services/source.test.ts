import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeSourceTree } from '../app/source-tree.ts';
import { isDockerfileName, makeSourceServices } from './source.ts';

/** `tollgate lint` over a real directory tree: discovery, .dockerignore, config file, failures. */
describe('lint: Dockerfile discovery and linting', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-lint-df-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } } as never;
  const services = makeSourceServices({ tree: nodeSourceTree, log: silent, clock: () => 0, tool: { name: 'tollgate', version: 'test' } });

  const write = (rel: string, text: string): void => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  write('Dockerfile', 'FROM debian:12\nRUN curl -fsSL https://x | sh\nCOPY . .\n');
  write('svc/api.Dockerfile', 'FROM debian:12\nCOPY . .\n');
  write('svc/.dockerignore', '.git\n');
  write('svc/Containerfile.dev', 'FROM alpine:3.20\n');
  write('node_modules/pkg/Dockerfile', 'FROM debian\n');
  write('docs/Dockerfile.md.txt', 'not a dockerfile name');
  write('big/Dockerfile', `FROM a:1\n${'#'.repeat(1024 * 1024 + 10)}\n`);
  write('lint.yaml', 'rules:\n  DF1001: warning\n  heavyweight-base: off\nallowlists:\n  registries: [registry.example.com]\n');
  write('bad.yaml', 'rulez: {}\n');

  it('recognises Dockerfile names', () => {
    for (const n of ['Dockerfile', 'Containerfile', 'Dockerfile.prod', 'api.Dockerfile', 'x.dockerfile', 'Containerfile.dev']) expect(isDockerfileName(n), n).toBe(true);
    for (const n of ['Dockerfile.md.txt.bak/', 'dockerfile-lint.ts', 'README.md', 'MyDockerfile']) expect(isDockerfileName(n), n).toBe(false);
  });

  it('finds Dockerfiles (skipping node_modules), records oversized ones as unknowns, and lints the rest', async () => {
    const result = await services.lintPaths([dir]);
    const files = result.files.filter((f) => f.kind === 'dockerfile').map((f) => [f.path.slice(dir.length + 1), f.hasDockerignore]).sort();
    expect(files).toEqual([['Dockerfile', 'no'], ['svc/Containerfile.dev', 'yes'], ['svc/api.Dockerfile', 'yes']]);
    expect(result.unknowns.map((u) => [u.path?.slice(dir.length + 1), u.reason.split(':')[0]])).toEqual([['big/Dockerfile', 'cannot read']]);
    const top = result.findings.filter((f) => f.file === join(dir, 'Dockerfile')).map((f) => f.ruleId);
    expect(top).toEqual(expect.arrayContaining(['DF1001', 'DF1008', 'DF2001']));
    // the .dockerignore beside api.Dockerfile covers its COPY . .
    expect(result.findings.some((f) => f.file.endsWith('api.Dockerfile') && f.ruleId === 'DF1008')).toBe(false);
    expect(services.lintFails(result, 'error')).toBe(true);
  });

  it('applies a YAML config file: severities, rules off, registry allowlist', async () => {
    const result = await services.lintPaths([join(dir, 'Dockerfile')], { configFile: join(dir, 'lint.yaml') });
    expect(result.findings.find((f) => f.ruleId === 'DF1001')?.severity).toBe('warning');
    expect(result.findings.some((f) => f.ruleId === 'DF2005')).toBe(false);
    expect(result.findings.some((f) => f.ruleId === 'DF2004')).toBe(true);
  });

  it('rejects an invalid config with CONFIG_INVALID and a missing path with SOURCE_NOT_FOUND', async () => {
    await expect(services.lintPaths([dir], { configFile: join(dir, 'bad.yaml') })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(services.lintPaths([join(dir, 'nope')])).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
  });

  it('writes SARIF 2.1.0 with rules, results and inline suppressions', async () => {
    write('sup/Dockerfile', 'FROM debian:12\n# tollgate ignore=DF1001\nRUN curl https://x | sh\n');
    const result = await services.lintPaths([join(dir, 'sup')], { keepSuppressed: true });
    const sarif = services.lintSarif(result) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; suppressions?: unknown[] }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    const r1001 = run?.results.find((r) => r.ruleId === 'DF1001');
    expect(r1001?.suppressions).toEqual([{ kind: 'inSource' }]);
    for (const r of run?.results ?? []) expect(run?.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
    expect(services.lintFails(result, 'error')).toBe(false);
  });
});
