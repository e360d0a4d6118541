import { parse as parseYaml } from 'yaml';
import type { DeclaredEntry, DeclaredResult } from '../../_shared/declared.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { isJsonObject } from '../../../core/json.ts';

/** 'https://github.com/apple/swift-nio.git' → 'github.com/apple/swift-nio' (trivy's and OSV's SwiftURL name). */
export function swiftName(url: string): string {
  return url.replace(/^[a-z+]+:\/\//i, '').replace(/^[^@/]+@([^:/]+):/, '$1/').replace(/\.git$/, '').replace(/\/$/, '');
}

/** Package.resolved v1 (`object.pins`, `repositoryURL`) and v2/v3 (`pins`, `location`); pins without a version (branch/revision) are skipped. */
export function parsePackageResolved(text: string): DeclaredResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isJsonObject(doc)) return { ok: false, reason: 'Package.resolved is not an object' };
  const pins = isJsonObject(doc['object']) ? doc['object']['pins'] : doc['pins'];
  if (!Array.isArray(pins)) return { ok: false, reason: 'Package.resolved has no pins' };
  const entries: DeclaredEntry[] = [];
  for (const pin of pins) {
    if (!isJsonObject(pin)) continue;
    const url = typeof pin['repositoryURL'] === 'string' ? pin['repositoryURL'] : pin['location'];
    const version = isJsonObject(pin['state']) ? pin['state']['version'] : undefined;
    if (typeof url !== 'string' || typeof version !== 'string' || version === '') continue;
    const name = swiftName(url);
    const slash = name.lastIndexOf('/');
    entries.push({ name, version, purl: slash > 0 ? buildPurl('swift', name.slice(0, slash), name.slice(slash + 1), version) : buildPurl('swift', undefined, name, version) });
  }
  return { ok: true, entries };
}

/** Podfile.lock: the PODS list ("Name (1.2.3)" with dependency lists), subspecs ("A/B") named as they are. */
export function parsePodfileLock(text: string): DeclaredResult {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    return { ok: false, reason: `invalid YAML: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isJsonObject(doc) || !Array.isArray(doc['PODS'])) return { ok: false, reason: 'Podfile.lock has no PODS list' };
  const spec = (s: string): { name: string; version: string } | undefined => {
    const m = /^(\S+) \(([^)]+)\)$/.exec(s.trim());
    return m === null ? undefined : { name: m[1] as string, version: m[2] as string };
  };
  const entries: DeclaredEntry[] = [];
  for (const item of doc['PODS']) {
    const head = typeof item === 'string' ? item : isJsonObject(item) ? Object.keys(item)[0] : undefined;
    const pod = head === undefined ? undefined : spec(head);
    if (pod === undefined) continue;
    const deps = isJsonObject(item) && Array.isArray(item[head as string]) ? (item[head as string] as unknown[]).filter((d): d is string => typeof d === 'string').map((d) => d.split(' ')[0] as string) : [];
    entries.push({ name: pod.name, version: pod.version, purl: buildPurl('cocoapods', undefined, pod.name, pod.version), dependsOn: deps });
  }
  return { ok: true, entries };
}
