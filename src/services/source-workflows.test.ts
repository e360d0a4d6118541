import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeSourceTree } from '../app/source-tree.ts';
import { makeSourceServices } from './source.ts';

/** `tollgate lint` finds workflows and composite actions beside Dockerfiles (the workflow half of the source gate). */
describe('lint: GitHub Actions discovery', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-lint-wf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } } as never;
  const services = makeSourceServices({ tree: nodeSourceTree, log: silent, clock: () => 0, tool: { name: 'tollgate', version: 'test' } });

  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  mkdirSync(join(dir, 'actions', 'setup'), { recursive: true });
  writeFileSync(join(dir, '.github', 'workflows', 'ci.yml'), 'on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n');
  writeFileSync(join(dir, '.github', 'workflows', 'notes.txt'), 'not a workflow');
  writeFileSync(join(dir, 'actions', 'setup', 'action.yml'), 'runs:\n  using: composite\n  steps:\n    - uses: foo/bar@v1\n');
  writeFileSync(join(dir, 'broken.yml'), 'on: [');
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');

  it('lints workflows and actions found under the path', async () => {
    const result = await services.lintPaths([dir]);
    const wf = result.files.filter((f) => f.kind === 'workflow').map((f) => f.path.slice(dir.length + 1)).sort();
    expect(wf).toEqual(['.github/workflows/ci.yml', 'actions/setup/action.yml']);
    const slugs = result.findings.filter((f) => f.ruleId.startsWith('GH')).map((f) => f.slug);
    expect(slugs).toEqual(expect.arrayContaining(['dangerous-triggers', 'template-injection', 'unpinned-uses']));
    expect(result.rules.some((r) => r.id === 'GH1001')).toBe(true);
  });

  it('applies the shared lint config (off, severity)', async () => {
    const result = await services.lintPaths([join(dir, '.github', 'workflows', 'ci.yml')], {
      config: { rules: { 'dangerous-triggers': 'off', GH1004: 'warning' }, allowedRegistries: [], allowedDownloadHosts: [] },
    });
    expect(result.findings.map((f) => `${f.slug}:${f.severity}`)).toEqual(['template-injection:warning']);
  });

  it('records an unparseable workflow as an unknown', async () => {
    mkdirSync(join(dir, 'sub', '.github', 'workflows'), { recursive: true });
    writeFileSync(join(dir, 'sub', '.github', 'workflows', 'bad.yml'), 'on: [push\n');
    const result = await services.lintPaths([join(dir, 'sub')]);
    expect(result.unknowns.map((u) => u.source)).toEqual(['github-actions']);
  });
});
