import { describe, expect, it } from 'vitest';
import { compilePattern } from './pattern.ts';

// Cases from GitHub's "About code owners" examples and gitignore semantics GitHub keeps.
const CASES: readonly (readonly [string, string, boolean])[] = [
  ['*', 'README.md', true],
  ['*', 'a/b/c.txt', true],
  ['*.js', 'app.js', true],
  ['*.js', 'src/deep/app.js', true],
  ['*.js', 'app.jsx', false],
  ['*.go', 'cmd/main.go', true],
  ['/build/logs/', 'build/logs/x.log', true],
  ['/build/logs/', 'build/logs/deep/x.log', true],
  ['/build/logs/', 'src/build/logs/x.log', false],
  ['/build/logs/', 'build/logs', false],
  ['docs/*', 'docs/getting-started.md', true],
  ['docs/*', 'docs/build-app/troubleshooting.md', false],
  ['docs/*', 'src/docs/x.md', false],
  ['apps/', 'apps/a.txt', true],
  ['apps/', 'x/y/apps/deep/a.txt', true],
  ['apps/', 'apps', false],
  ['/docs/', 'docs/a.md', true],
  ['/docs/', 'x/docs/a.md', false],
  ['/scripts/', 'scripts/build.sh', true],
  ['**/logs', 'build/logs/x', true],
  ['**/logs', 'scripts/logs/x', true],
  ['**/logs', 'deeply/nested/logs/x', true],
  ['**/logs', 'logs/x', true],
  ['**/logs', 'logsx/x', false],
  ['/apps/github', 'apps/github/x.rb', true],
  ['/apps/github', 'apps/github', true],
  ['/apps/github', 'apps/githubber/x', false],
  ['apps/**', 'apps/a/b/c', true],
  ['apps/**', 'x/apps/a', false],
  ['a/**/b', 'a/b', true],
  ['a/**/b', 'a/x/y/b', true],
  ['a/**/b', 'a/x/y/c', false],
  ['Dockerfile*', 'Dockerfile', true],
  ['Dockerfile*', 'svc/Dockerfile.prod', true],
  ['Dockerfile', 'svc/Dockerfile', true],
  ['Dockerfile', 'svc/dockerfile', false], // case-sensitive
  ['?.txt', 'a.txt', true],
  ['?.txt', 'ab.txt', false],
  ['\\#notes', '#notes', true],
  ['file\\ name.txt', 'file name.txt', true],
  ['.github/workflows/**', '.github/workflows/ci.yml', true],
  ['requirements*.txt', 'requirements-dev.txt', true],
  ['requirements*.txt', 'sub/requirements.txt', true],
];

describe('CODEOWNERS pattern matching (GitHub semantics)', () => {
  it.each(CASES)('%s vs %s → %s', (pattern, path, expected) => {
    const compiled = compilePattern(pattern.replace('\\ ', ' '));
    expect(compiled.ok).toBe(true);
    if (compiled.ok) expect(compiled.test(path)).toBe(expected);
  });

  it.each(['!important.txt', 'src/[abc].js', ''])('rejects unsupported syntax: %j', (pattern) => {
    expect(compilePattern(pattern).ok).toBe(false);
  });
});
