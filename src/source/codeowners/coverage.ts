import * as z from 'zod/mini';
import '../../core/zod.ts';
import { compilePattern } from './pattern.ts';
import { CODEOWNERS_LOCATIONS, ownersOf, parseCodeowners } from './parse.ts';
import type { Codeowners, CodeownersIssue } from './parse.ts';

/** Files whose change reaches every artifact built afterwards. Same pattern syntax as CODEOWNERS. */
export const DEFAULT_BUILD_FILES: readonly string[] = Object.freeze([
  'Dockerfile', 'Dockerfile.*', '*.Dockerfile', '*.dockerfile', 'Containerfile', 'Containerfile.*', '*.Containerfile',
  '.dockerignore', '.containerignore', 'docker-compose*.yml', 'docker-compose*.yaml', 'compose.yml', 'compose.yaml', 'docker-bake.hcl',
  '.github/workflows/**', '.github/actions/**', 'action.yml', 'action.yaml', '.github/dependabot.yml',
  '.gitlab-ci.yml', '.gitlab/ci/**', 'Jenkinsfile', '.circleci/**', 'azure-pipelines.yml', '.buildkite/**', 'cloudbuild.yaml', '.travis.yml',
  'Makefile', 'GNUmakefile', 'makefile', '*.mk', 'CMakeLists.txt', 'meson.build', 'BUILD', 'BUILD.bazel', 'WORKSPACE', 'MODULE.bazel', '*.bzl',
  'build.sh', 'build.ps1', '/scripts/build*', '/scripts/release*', '/build/**', 'Taskfile.yml', 'justfile', 'Justfile',
  'build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts', 'gradle/wrapper/**', 'pom.xml', 'mvnw', '.mvn/**',
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock', '.npmrc', '.yarnrc.yml',
  'go.sum', 'go.mod', 'Cargo.lock', 'poetry.lock', 'Pipfile.lock', 'uv.lock', 'pdm.lock', 'requirements*.txt', 'constraints*.txt',
  'Gemfile.lock', 'composer.lock', 'mix.lock', 'pubspec.lock', 'Package.resolved', 'packages.lock.json', 'gradle.lockfile', 'flake.lock',
  '.github/CODEOWNERS', '/CODEOWNERS', '/docs/CODEOWNERS',
]);

const nonEmptyStrings = () => z.array(z.string().check(z.minLength(1)));

export const CodeownersConfigSchema = z.strictObject({
  /** The platform team: `@org/team`, `@user` or e-mail addresses. A build file must have at least one of them as owner. */
  team: z._default(nonEmptyStrings(), []),
  /** Replaces the default build-file patterns. */
  buildFiles: z.optional(nonEmptyStrings()),
  /** Added to the build-file patterns. */
  extraBuildFiles: z._default(nonEmptyStrings(), []),
  /** Never reported. */
  exclude: z._default(nonEmptyStrings(), []),
});

export type CodeownersConfig = z.infer<typeof CodeownersConfigSchema>;

export type CoverageStatus = 'owned-by-team' | 'owned-outside-team' | 'owned' | 'unowned' | 'explicitly-unowned';

export interface FileCoverage {
  readonly file: string;
  readonly status: CoverageStatus;
  readonly owners: readonly string[];
  /** The CODEOWNERS line that decided (last match); undefined when none matched. */
  readonly line?: number;
  readonly pattern?: string;
}

export interface CoverageReport {
  /** The CODEOWNERS file used; undefined when the repository has none. */
  readonly codeownersPath: string | undefined;
  readonly team: readonly string[];
  readonly files: readonly FileCoverage[];
  readonly issues: readonly CodeownersIssue[];
  /** Files that fail the gate (unowned, or no team owner). */
  readonly failures: readonly FileCoverage[];
}

/** Picks the CODEOWNERS file GitHub would use from the repository's file list. */
export function locateCodeowners(files: readonly string[]): string | undefined {
  const set = new Set(files);
  return CODEOWNERS_LOCATIONS.find((p) => set.has(p));
}

const norm = (owner: string): string => owner.toLowerCase();

/**
 * Checks every build-relevant file against CODEOWNERS (GitHub semantics, last match wins).
 * Pure: the caller lists the repository's files (git ls-files) and reads the CODEOWNERS text.
 */
export function checkCoverage(files: readonly string[], codeowners: { path: string; text: string } | undefined, config: CodeownersConfig): CoverageReport {
  const patterns = [...(config.buildFiles ?? DEFAULT_BUILD_FILES), ...config.extraBuildFiles].map(compilePattern);
  const excludes = config.exclude.map(compilePattern);
  const parsed: Codeowners | undefined = codeowners === undefined ? undefined : parseCodeowners(codeowners.path, codeowners.text);
  const team = new Set(config.team.map(norm));
  const out: FileCoverage[] = [];
  for (const file of [...files].sort()) {
    if (!patterns.some((p) => p.ok && p.test(file))) continue;
    if (excludes.some((p) => p.ok && p.test(file))) continue;
    const rule = parsed === undefined ? undefined : ownersOf(parsed, file);
    if (rule === undefined) {
      out.push({ file, status: 'unowned', owners: [] });
      continue;
    }
    const where = { line: rule.line, pattern: rule.pattern };
    if (rule.owners.length === 0) out.push({ file, status: 'explicitly-unowned', owners: [], ...where });
    else if (team.size === 0) out.push({ file, status: 'owned', owners: rule.owners, ...where });
    else if (rule.owners.some((o) => team.has(norm(o)))) out.push({ file, status: 'owned-by-team', owners: rule.owners, ...where });
    else out.push({ file, status: 'owned-outside-team', owners: rule.owners, ...where });
  }
  const invalidPatterns = patterns.flatMap((p, i) => (p.ok ? [] : [{ line: 0, text: [...(config.buildFiles ?? DEFAULT_BUILD_FILES), ...config.extraBuildFiles][i] ?? '', reason: `build-file pattern: ${p.reason}` }]));
  return {
    codeownersPath: codeowners?.path,
    team: config.team,
    files: out,
    issues: [...(parsed?.issues ?? []), ...invalidPatterns],
    failures: out.filter((f) => f.status === 'unowned' || f.status === 'explicitly-unowned' || f.status === 'owned-outside-team'),
  };
}
