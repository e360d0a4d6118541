import { parse as parseToml } from 'smol-toml';
import type { DeclaredEntry, DeclaredResult } from '../../_shared/declared.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { normalisePythonName } from './parse-metadata.ts';
import { isJsonObject } from '../../../core/json.ts';

type Table = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const tables = (v: unknown): Table[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);

function entry(name: string, version: string, dependsOn: readonly string[] = []): DeclaredEntry {
  const key = normalisePythonName(name);
  return { name, version, purl: buildPurl('pypi', undefined, key, version), key, dependsOn: dependsOn.map(normalisePythonName) };
}

function toml(text: string): Table | string {
  try {
    return parseToml(text) as Table;
  } catch (error) {
    if (error instanceof Error) return `invalid TOML: ${error.message}`;
    throw error;
  }
}

/** Entries reachable from `roots` through dependsOn keys (the production closure). */
function closure(entries: readonly DeclaredEntry[], roots: readonly string[]): DeclaredEntry[] {
  const byKey = new Map(entries.map((e) => [e.key ?? e.name, e]));
  const reached = new Set<string>();
  const queue = roots.map(normalisePythonName);
  while (queue.length > 0) {
    const key = queue.pop() as string;
    if (reached.has(key)) continue;
    const found = byKey.get(key);
    if (found === undefined) continue;
    reached.add(key);
    queue.push(...(found.dependsOn ?? []));
  }
  return entries.filter((e) => reached.has(e.key ?? e.name));
}

const REQUIREMENT = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;,#\\]+)/;

/**
 * requirements.txt: only exactly pinned requirements (`name==version`, `name===version`, extras and
 * markers allowed) name a version; ranges, options (-r, -e, --hash), URLs and paths are skipped, as trivy does.
 */
export function parseRequirements(text: string): DeclaredResult {
  const entries: DeclaredEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '' || line.startsWith('-')) continue;
    const m = REQUIREMENT.exec(line);
    if (m === null || (m[2] as string).includes('*')) continue; // `==2.8.*` is a range, not a pin
    entries.push(entry(m[1] as string, m[2] as string));
  }
  return { ok: true, entries };
}

/** Pipfile.lock: the `default` section (`develop` is development only). */
export function parsePipfileLock(text: string): DeclaredResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isJsonObject(doc)) return { ok: false, reason: 'Pipfile.lock is not an object' };
  const entries: DeclaredEntry[] = [];
  for (const [name, raw] of Object.entries(isJsonObject(doc['default']) ? doc['default'] : {})) {
    const version = isJsonObject(raw) ? str(raw['version']) : undefined;
    if (version === undefined) continue; // git/path dependencies carry no version
    entries.push(entry(name, version.replace(/^===?/, '')));
  }
  return { ok: true, entries };
}

/**
 * poetry.lock: every [[package]]; with a pyproject.toml beside it, only what its main dependencies
 * reach (dev groups excluded), else the entries not in category "dev".
 */
export function parsePoetryLock(text: string, pyproject: string | undefined): DeclaredResult {
  const doc = toml(text);
  if (typeof doc === 'string') return { ok: false, reason: doc };
  const all: DeclaredEntry[] = [];
  const dev = new Set<string>();
  for (const p of tables(doc['package'])) {
    const name = str(p['name']);
    const version = str(p['version']);
    if (name === undefined || version === undefined) continue;
    all.push(entry(name, version, Object.keys(isJsonObject(p['dependencies']) ? p['dependencies'] : {})));
    if (p['category'] === 'dev') dev.add(normalisePythonName(name));
  }
  const project = pyproject === undefined ? undefined : toml(pyproject);
  const tool = isJsonObject(project) && isJsonObject(project['tool']) ? project['tool'] : undefined;
  const poetry = tool !== undefined && isJsonObject(tool['poetry']) ? tool['poetry'] : undefined;
  const main = poetry !== undefined && isJsonObject(poetry['dependencies']) ? Object.keys(poetry['dependencies']).filter((n) => n !== 'python') : undefined;
  const pep621 = isJsonObject(project) && isJsonObject(project['project']) ? project['project']['dependencies'] : undefined;
  const roots = main ?? (Array.isArray(pep621) ? pep621.filter((d): d is string => typeof d === 'string').map((d) => /^[A-Za-z0-9._-]+/.exec(d)?.[0] ?? d) : undefined);
  const entries = roots !== undefined ? closure(all, roots) : all.filter((e) => !dev.has(e.key ?? e.name));
  return { ok: true, entries };
}

/** uv.lock: the project (virtual/editable root) and what its dependencies reach; dev-dependencies excluded. */
export function parseUvLock(text: string): DeclaredResult {
  const doc = toml(text);
  if (typeof doc === 'string') return { ok: false, reason: doc };
  const all: DeclaredEntry[] = [];
  let root: DeclaredEntry | undefined;
  for (const p of tables(doc['package'])) {
    const name = str(p['name']);
    const version = str(p['version']);
    if (name === undefined || version === undefined) continue;
    const deps = tables(p['dependencies']).map((d) => str(d['name'])).filter((n): n is string => n !== undefined);
    const e = entry(name, version, deps);
    all.push(e);
    const source = isJsonObject(p['source']) ? p['source'] : {};
    if (root === undefined && (source['virtual'] === '.' || source['editable'] === '.')) root = e;
  }
  const entries = root === undefined ? all : closure(all, [root.key ?? root.name]);
  return { ok: true, entries };
}

/** pylock.toml (PEP 751): every [[packages]] entry with a version. */
export function parsePylock(text: string): DeclaredResult {
  const doc = toml(text);
  if (typeof doc === 'string') return { ok: false, reason: doc };
  const entries: DeclaredEntry[] = [];
  for (const p of tables(doc['packages'])) {
    const name = str(p['name']);
    const version = str(p['version']);
    if (name === undefined || version === undefined) continue;
    entries.push(entry(name, version, tables(p['dependencies']).map((d) => str(d['name'])).filter((n): n is string => n !== undefined)));
  }
  return { ok: true, entries };
}
