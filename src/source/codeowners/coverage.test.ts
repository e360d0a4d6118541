import { describe, expect, it } from 'vitest';
import { checkCoverage, CodeownersConfigSchema, locateCodeowners } from './coverage.ts';
import { ownersOf, parseCodeowners } from './parse.ts';

const FILES = [
  'Dockerfile', 'svc/api/Dockerfile', 'svc/web/Containerfile', 'svc/web/prod.Dockerfile', '.github/workflows/ci.yml',
  '.github/CODEOWNERS', 'Makefile', 'tools/release.mk', 'package-lock.json', 'go.sum', 'README.md', 'src/main.go', 'requirements-dev.txt',
];

describe('CODEOWNERS', () => {
  it('applies last-match-wins, and a pattern with no owners un-owns', () => {
    const co = parseCodeowners('CODEOWNERS', '* @org/everyone\n*.go @gophers\n/src/ @org/src\n/src/main.go\n');
    expect(ownersOf(co, 'README.md')?.owners).toEqual(['@org/everyone']);
    expect(ownersOf(co, 'cmd/x.go')?.owners).toEqual(['@gophers']);
    expect(ownersOf(co, 'src/a.txt')?.owners).toEqual(['@org/src']);
    expect(ownersOf(co, 'src/main.go')?.owners).toEqual([]);
  });

  it('reports unsupported lines as issues and skips them', () => {
    const co = parseCodeowners('CODEOWNERS', '# comment\n!x @a\n[abc].js @b\nfoo @bad owner!\n*.md @docs # trailing comment\n');
    expect(co.issues.map((i) => i.line)).toEqual([2, 3, 4]);
    expect(co.rules.map((r) => r.pattern)).toEqual(['*.md']);
  });

  it('finds the CODEOWNERS file where GitHub looks, in order', () => {
    expect(locateCodeowners(['docs/CODEOWNERS', 'CODEOWNERS'])).toBe('CODEOWNERS');
    expect(locateCodeowners(['docs/CODEOWNERS', '.github/CODEOWNERS', 'CODEOWNERS'])).toBe('.github/CODEOWNERS');
    expect(locateCodeowners(['src/CODEOWNERS'])).toBeUndefined();
  });

  it('reports uncovered build files and files owned outside the platform team', () => {
    const text = [
      '*                    @org/devs',
      '**/Dockerfile        @org/platform',
      '/.github/            @org/platform @alice',
      '/svc/web/            @org/web',
      'Makefile             @bob',
      '*.mk',
      'go.sum               @Org/Platform',
    ].join('\n');
    const config = CodeownersConfigSchema.parse({ team: ['@org/platform', '@alice'] });
    const report = checkCoverage(FILES, { path: '.github/CODEOWNERS', text }, config);
    const byFile = Object.fromEntries(report.files.map((f) => [f.file, f.status]));
    expect(byFile).toEqual({
      '.github/CODEOWNERS': 'owned-by-team',
      '.github/workflows/ci.yml': 'owned-by-team',
      Dockerfile: 'owned-by-team',
      Makefile: 'owned-outside-team',
      'go.sum': 'owned-by-team',
      'package-lock.json': 'owned-outside-team',
      'requirements-dev.txt': 'owned-outside-team',
      'svc/api/Dockerfile': 'owned-by-team',
      'svc/web/Containerfile': 'owned-outside-team',
      'svc/web/prod.Dockerfile': 'owned-outside-team',
      'tools/release.mk': 'explicitly-unowned',
    });
    expect(report.failures.map((f) => f.file)).not.toContain('README.md');
  });

  it('treats every build file as unowned without a CODEOWNERS file, and honours configured globs', () => {
    const report = checkCoverage(FILES, undefined, CodeownersConfigSchema.parse({ team: ['@org/platform'], buildFiles: ['Dockerfile', '*.mk'], exclude: ['tools/**'] }));
    expect(report.failures.map((f) => [f.file, f.status])).toEqual([
      ['Dockerfile', 'unowned'],
      ['svc/api/Dockerfile', 'unowned'],
    ]);
  });

  it('rejects unknown config keys', () => {
    expect(CodeownersConfigSchema.safeParse({ teams: [] }).success).toBe(false);
  });
});
