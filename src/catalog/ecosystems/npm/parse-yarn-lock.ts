import { parse as parseYaml } from 'yaml';
import { isJsonObject } from '../../../core/json.ts';
import { keysOf } from './parse-package-json.ts';

export interface YarnEntry {
  readonly name: string;
  readonly version: string;
  /** The specs ('a@^1.0.0') that resolve to this entry. */
  readonly specs: readonly string[];
  /** Dependency specs as 'name@range' so they can be matched against other entries' specs. */
  readonly dependencies: readonly string[];
}

export type YarnResult = { readonly ok: true; readonly entries: readonly YarnEntry[]; readonly berry: boolean } | { readonly ok: false; readonly reason: string };

/** yarn.lock: classic v1 (its own indented format) and berry (YAML with __metadata). */
export function parseYarnLock(text: string): YarnResult {
  if (/^__metadata:/m.test(text)) return parseBerry(text);
  return parseClassic(text);
}

/** 'a@^1', '@s/a@npm:^1' → 'a', '@s/a'. */
export function specName(spec: string): string {
  const at = spec.indexOf('@', 1);
  return at < 0 ? spec : spec.slice(0, at);
}

/** The real package name in a registry tarball URL: …/<name>/-/<file>.tgz (aliases install under another name). */
export function nameFromResolved(resolved: string | undefined): string | undefined {
  if (resolved === undefined) return undefined;
  const match = /^https?:\/\/[^/]+\/((?:@[^/]+\/)?[^/]+)\/-\//.exec(resolved);
  return match === null ? undefined : decodeURIComponent(match[1] as string);
}

function unquote(text: string): string {
  const t = text.trim();
  return t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

function parseClassic(text: string): YarnResult {
  const entries: YarnEntry[] = [];
  let specs: string[] | undefined;
  let version: string | undefined;
  let declaredName: string | undefined;
  let resolved: string | undefined;
  let deps: string[] = [];
  let inDeps = false;
  const flush = (): void => {
    if (specs !== undefined && version !== undefined && specs.length > 0) {
      const name = nameFromResolved(resolved) ?? declaredName ?? specName(specs[0] as string);
      entries.push({ name, version, specs, dependencies: deps });
    }
    specs = undefined;
    version = undefined;
    declaredName = undefined;
    resolved = undefined;
    deps = [];
    inDeps = false;
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      flush();
      if (!line.endsWith(':')) return { ok: false, reason: `unexpected top-level line: ${line.slice(0, 40)}` };
      specs = line.slice(0, -1).split(',').map(unquote).filter((s) => s !== '');
      continue;
    }
    const trimmed = line.trim();
    if (indent === 2) {
      inDeps = trimmed === 'dependencies:' || trimmed === 'optionalDependencies:';
      const match = /^(version|name|resolved):?\s+"?([^"]+)"?$/.exec(trimmed);
      if (match?.[1] === 'version') version = match[2];
      else if (match?.[1] === 'name') declaredName = match[2];
      else if (match?.[1] === 'resolved') resolved = match[2];
      continue;
    }
    if (indent >= 4 && inDeps) {
      const space = trimmed.search(/\s/);
      if (space > 0) deps.push(`${unquote(trimmed.slice(0, space))}@${unquote(trimmed.slice(space + 1))}`);
    }
  }
  flush();
  return { ok: true, entries, berry: false };
}

function parseBerry(text: string): YarnResult {
  let doc: unknown;
  try {
    doc = parseYaml(text, { uniqueKeys: false });
  } catch (error) {
    return { ok: false, reason: `invalid YAML: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isJsonObject(doc)) return { ok: false, reason: 'yarn.lock is not a mapping' };
  const entries: YarnEntry[] = [];
  for (const [key, raw] of Object.entries(doc)) {
    if (key === '__metadata' || !isJsonObject(raw)) continue;
    const resolution = typeof raw['resolution'] === 'string' ? raw['resolution'] : '';
    if (/@(link|portal|file):/.test(resolution)) continue;
    const version = raw['version'];
    if (typeof version !== 'string' && typeof version !== 'number') continue;
    const specs = key.split(',').map((s) => s.trim()).filter((s) => s !== '');
    // a workspace (the project itself) is named by its key; packages by their resolution
    const name = specName(resolution !== '' && !resolution.includes('@workspace:') ? resolution : (specs[0] as string));
    const depsObj = isJsonObject(raw['dependencies']) ? raw['dependencies'] : {};
    const dependencies = keysOf(depsObj).map((dep) => {
      const range = String(depsObj[dep]);
      return `${dep}@${range.includes(':') ? range : `npm:${range}`}`;
    });
    entries.push({ name, version: String(version), specs, dependencies });
  }
  return { ok: true, entries, berry: true };
}
