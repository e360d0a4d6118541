import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { DeclaredEntry, DeclaredResult } from '../../_shared/declared.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { isJsonObject } from '../../../core/json.ts';

type Obj = Record<string, unknown>;

export function nugetEntry(name: string, version: string, dependsOn: readonly string[] = [], metadata?: Record<string, string>): DeclaredEntry {
  return { name, version, purl: buildPurl('nuget', undefined, name, version), key: `${name.toLowerCase()}@${version}`, dependsOn, ...(metadata !== undefined ? { metadata } : {}) };
}

function json(text: string): Obj | string {
  try {
    const doc: unknown = JSON.parse(text);
    return isJsonObject(doc) ? doc : 'not a JSON object';
  } catch (error) {
    if (error instanceof SyntaxError) return `invalid JSON: ${error.message}`;
    throw error;
  }
}

/** packages.lock.json: every resolved package of every target framework (project references skipped). */
export function parsePackagesLock(text: string): DeclaredResult {
  const doc = json(text);
  if (typeof doc === 'string') return { ok: false, reason: doc };
  if (!isJsonObject(doc['dependencies'])) return { ok: false, reason: 'packages.lock.json has no dependencies' };
  const entries = new Map<string, DeclaredEntry>();
  for (const framework of Object.values(doc['dependencies'])) {
    if (!isJsonObject(framework)) continue;
    const versions = new Map<string, string>();
    for (const [name, raw] of Object.entries(framework)) if (isJsonObject(raw) && typeof raw['resolved'] === 'string') versions.set(name.toLowerCase(), raw['resolved']);
    for (const [name, raw] of Object.entries(framework)) {
      if (!isJsonObject(raw) || raw['type'] === 'Project' || typeof raw['resolved'] !== 'string') continue;
      const deps = Object.keys(isJsonObject(raw['dependencies']) ? raw['dependencies'] : {})
        .map((d) => versions.get(d.toLowerCase()) === undefined ? undefined : `${d.toLowerCase()}@${versions.get(d.toLowerCase()) as string}`)
        .filter((d): d is string => d !== undefined);
      const e = nugetEntry(name, raw['resolved'], deps, { relationship: String(raw['type']).toLowerCase() });
      entries.set(e.key as string, e);
    }
  }
  return { ok: true, entries: [...entries.values()] };
}

/** *.deps.json: the `libraries` of type package and project (the application itself), with their dependencies from `targets`. */
export function parseDepsJson(text: string): DeclaredResult {
  const doc = json(text);
  if (typeof doc === 'string') return { ok: false, reason: doc };
  if (!isJsonObject(doc['libraries'])) return { ok: false, reason: 'deps.json has no libraries' };
  const deps = new Map<string, string[]>();
  for (const target of Object.values(isJsonObject(doc['targets']) ? doc['targets'] : {})) {
    if (!isJsonObject(target)) continue;
    for (const [id, raw] of Object.entries(target)) {
      if (!isJsonObject(raw) || !isJsonObject(raw['dependencies'])) continue;
      deps.set(id.toLowerCase(), Object.entries(raw['dependencies']).map(([n, v]) => `${n.toLowerCase()}@${String(v)}`));
    }
  }
  const entries: DeclaredEntry[] = [];
  for (const [id, raw] of Object.entries(doc['libraries'])) {
    if (!isJsonObject(raw) || (raw['type'] !== 'package' && raw['type'] !== 'project')) continue;
    const slash = id.indexOf('/');
    if (slash <= 0) continue;
    entries.push(nugetEntry(id.slice(0, slash), id.slice(slash + 1), deps.get(id.toLowerCase()) ?? [], { type: String(raw['type']) }));
  }
  return { ok: true, entries };
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute });

function elements(node: unknown, tag: string, out: Obj[] = []): Obj[] {
  if (Array.isArray(node)) for (const n of node) elements(n, tag, out);
  else if (isJsonObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === tag) for (const item of Array.isArray(v) ? v : [v]) if (isJsonObject(item)) out.push(item);
      if (!k.startsWith('@')) elements(v, tag, out);
    }
  }
  return out;
}

function parseXml(text: string): unknown {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return new Error(`${valid.err.msg} (line ${String(valid.err.line)})`);
  try {
    return xml.parse(text) as unknown;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
}

/** Directory.Packages.props / Packages.props: central `<PackageVersion Include= Version=>` (and PackageReference) items. */
export function parsePackagesProps(text: string): DeclaredResult {
  const doc = parseXml(text);
  if (doc instanceof Error) return { ok: false, reason: `invalid XML: ${doc.message}` };
  const entries: DeclaredEntry[] = [];
  for (const tag of ['PackageVersion', 'PackageReference', 'GlobalPackageReference']) {
    for (const el of elements(doc, tag)) {
      const name = el['@Include'] ?? el['@Update'];
      const version = el['@Version'];
      if (typeof name !== 'string' || typeof version !== 'string' || version.includes('$(') || /^[[(]/.test(version)) continue;
      entries.push(nugetEntry(name, version));
    }
  }
  return { ok: true, entries };
}

/** packages.config (classic NuGet): `<package id version>`, development dependencies left out. */
export function parsePackagesConfig(text: string): DeclaredResult {
  const doc = parseXml(text);
  if (doc instanceof Error) return { ok: false, reason: `invalid XML: ${doc.message}` };
  const entries: DeclaredEntry[] = [];
  for (const el of elements(doc, 'package')) {
    const name = el['@id'];
    const version = el['@version'];
    if (typeof name !== 'string' || typeof version !== 'string' || el['@developmentDependency'] === 'true') continue;
    entries.push(nugetEntry(name, version));
  }
  return { ok: true, entries };
}
