import type { DeclaredEntry, DeclaredResult } from '../../_shared/declared.ts';
import { buildPurl } from '../../_shared/purl.ts';

const SPEC = /^ {4}([^\s(]+) \(([^)]+)\)$/;
const DEP = /^ {6}([^\s(]+)(?: \(.*\))?$/;

/**
 * Gemfile.lock: the `specs:` of the GEM, GIT and PATH sections (4-space `name (version)` lines, with
 * their 6-space dependency lines giving depends-on). Platform suffixes (`1.13.10-x86_64-linux`) are kept
 * out of the version, as trivy and syft do.
 */
export function parseGemfileLock(text: string): DeclaredResult {
  const entries: DeclaredEntry[] = [];
  let inSpecs = false;
  let current: { name: string; version: string; deps: string[] } | undefined;
  const flush = (): void => {
    if (current !== undefined) entries.push({ name: current.name, version: current.version, purl: buildPurl('gem', undefined, current.name, current.version), dependsOn: current.deps });
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    if (/^\S/.test(line) || line.trim() === '') {
      flush();
      inSpecs = false;
      continue;
    }
    if (line === '  specs:') {
      inSpecs = true;
      continue;
    }
    if (!inSpecs) continue;
    const spec = SPEC.exec(line);
    if (spec !== null) {
      flush();
      const version = (spec[2] as string).replace(/-(x86|x64|arm|aarch|universal|java|mingw|mswin|darwin|linux|i[3-6]86|ruby).*$/, '');
      current = { name: spec[1] as string, version, deps: [] };
      continue;
    }
    const dep = DEP.exec(line);
    if (dep !== null && current !== undefined) current.deps.push(dep[1] as string);
  }
  flush();
  // the same gem for several platforms collapses to one package (same name, version and file)
  return { ok: true, entries };
}

const FIELD = (field: string): RegExp => new RegExp(`\\.${field}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);

/** An installed gem's specifications/*.gemspec (the stub rubygems writes): name, version and licences. */
export function parseGemspec(text: string): DeclaredResult {
  const field = (name: string): string | undefined => {
    const m = FIELD(name).exec(text);
    return m === null ? undefined : (m[1] ?? m[2]);
  };
  const name = field('name');
  const version = field('version');
  if (name === undefined || version === undefined || name === '' || version === '') return { ok: false, reason: 'gemspec without a literal name and version' };
  const list = /\.licenses\s*=\s*\[([^\]]*)\]/.exec(text)?.[1];
  const licenses = list === undefined ? [field('license')].filter((l): l is string => l !== undefined) : [...list.matchAll(/"([^"]+)"|'([^']+)'/g)].map((m) => (m[1] ?? m[2]) as string);
  return { ok: true, entries: [{ name, version, purl: buildPurl('gem', undefined, name, version), licenses }] };
}
