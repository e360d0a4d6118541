import type { Audit, Hit } from '../audit.ts';
import { actionName, entries, field, items, jobs, parseUses, scalar, triggers } from '../model.ts';
import type { StepView, WorkflowFile } from '../model.ts';

/** Major version from `@v4`, `@v4.1.2`, or a `# v6.1.0` / `# tag=v4` comment after a SHA pin. */
function majorVersion(file: WorkflowFile, step: StepView): number | undefined {
  const u = step.uses === undefined ? undefined : parseUses(step.uses.value);
  if (u?.kind !== 'repo') return undefined;
  const fromRef = /^v?(\d+)(\.|$)/.exec(u.ref ?? '');
  if (fromRef?.[1] !== undefined) return Number(fromRef[1]);
  const end = step.uses?.node.range?.[1];
  if (end === undefined) return undefined;
  const lineEnd = file.text.indexOf('\n', end);
  const rest = file.text.slice(end, lineEnd < 0 ? undefined : lineEnd);
  const m = /#.*?v(\d+)(?:\.\d+)*\b/.exec(rest);
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

type Input = (name: string) => string | undefined;
const truthy = (v: string | undefined): boolean => v !== undefined && v.trim() !== '' && v.trim().toLowerCase() !== 'false';
const isOff = (v: string | undefined): boolean => v !== undefined && v.trim().toLowerCase() === 'false';
const isExpr = (v: string | undefined): boolean => v !== undefined && v.includes('${{');

/** Whether the step populates a cache that a later release build restores; version-aware where defaults changed. */
const CACHING: Readonly<Record<string, (input: Input, major: number | undefined) => boolean>> = {
  'actions/cache': (i) => !truthy(i('lookup-only')) || isExpr(i('lookup-only')),
  'actions/cache/save': () => true,
  'swatinem/rust-cache': (i) => !truthy(i('lookup-only')) || isExpr(i('lookup-only')),
  'actions/setup-go': (i, v) => (v !== undefined && v < 4 ? truthy(i('cache')) : !isOff(i('cache'))),
  'actions/setup-node': (i, v) => truthy(i('cache')) || (v === undefined || v >= 5 ? !isOff(i('package-manager-cache')) : false),
  'actions/setup-python': (i) => truthy(i('cache')),
  'actions/setup-java': (i) => truthy(i('cache')),
  'actions/setup-dotnet': (i) => truthy(i('cache')),
  'ruby/setup-ruby': (i) => truthy(i('bundler-cache')),
  'graalvm/setup-graalvm': (i) => truthy(i('cache')),
  'astral-sh/setup-uv': (i, v) => {
    const e = i('enable-cache')?.trim().toLowerCase();
    if (e === 'false') return false;
    if (e === 'true' || isExpr(e)) return true;
    return v === undefined || v < 10; // 'auto' (the default) caches on every event before v10
  },
  'jdx/mise-action': (i) => !isOff(i('cache')),
  'ramsey/composer-install': (i) => !truthy(i('ignore-cache')),
  'pyo3/maturin-action': (i) => truthy(i('sccache')),
  'mozilla-actions/sccache-action': () => true,
  'docker/setup-buildx-action': (i) => !isOff(i('cache-binary')) && truthy(i('version')),
  'oven-sh/setup-bun': (i) => !truthy(i('no-cache')),
  'pnpm/action-setup': (i) => truthy(i('cache')),
  'gradle/actions/setup-gradle': (i) => !truthy(i('cache-read-only')) && !truthy(i('cache-disabled')),
  'gradle/gradle-build-action': (i) => !truthy(i('cache-read-only')) && !truthy(i('cache-disabled')),
};

const PUBLISHERS = new Set([
  'pypa/gh-action-pypi-publish', 'softprops/action-gh-release', 'goreleaser/goreleaser-action', 'ncipollo/release-action',
  'rust-lang/crates-io-auth-action', 'docker/build-push-action', 'changesets/action', 'actions/create-release',
  'svenstaro/upload-release-action', 'taiki-e/upload-rust-binary-action', 'release-drafter/release-drafter',
]);

/** release events, tag pushes, and pushes to release-like branches. */
function releaseTriggered(file: WorkflowFile): boolean {
  const on = field(file, file.doc.contents, 'on');
  if (triggers(file).includes('release')) return true;
  const push = field(file, on, 'push');
  if (items(file, field(file, push, 'tags')).length > 0 || scalar(file, field(file, push, 'tags')) !== undefined) return true;
  const branches = items(file, field(file, push, 'branches')).map((n) => scalar(file, n) ?? '');
  return branches.some((b) => /release/i.test(b));
}

export const cachePoisoning: Audit = {
  id: 'GH1009',
  slug: 'cache-poisoning',
  defaultSeverity: 'error',
  summary: 'Release/publishing job restores a cache that untrusted runs can write',
  zizmor: 'cache-poisoning',
  appliesTo: ['workflow'],
  run(file) {
    const hits: Hit[] = [];
    const release = releaseTriggered(file);
    for (const job of jobs(file)) {
      const publishes = job.steps.some(
        (s) =>
          s.uses !== undefined &&
          PUBLISHERS.has(actionName(s.uses.value) ?? '') &&
          !(actionName(s.uses.value) === 'docker/build-push-action' && scalar(file, field(file, s.with, 'push'))?.trim().toLowerCase() === 'false'),
      );
      if (!release && !publishes) continue;
      for (const step of job.steps) {
        if (step.uses === undefined) continue;
        const full = step.uses.value.split('@')[0]?.toLowerCase() ?? '';
        const rule = CACHING[full] ?? CACHING[actionName(step.uses.value) ?? ''];
        if (rule === undefined) continue;
        const withEntries = new Map(entries(file, step.with).map((e) => [e.key, scalar(file, e.value)]));
        if (!rule((name) => withEntries.get(name), majorVersion(file, step))) continue;
        hits.push({
          node: step.uses.node,
          message: `${full} writes/restores a cache in a ${release ? 'release-triggered workflow' : 'publishing job'}; a poisoned cache from another run reaches the released artifact`,
        });
      }
    }
    return hits;
  },
};
