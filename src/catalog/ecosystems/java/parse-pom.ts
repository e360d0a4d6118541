import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { DeclaredEntry, DeclaredResult } from '../../_shared/declared.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { isJsonObject } from '../../../core/json.ts';

type Node = Record<string, unknown>;

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const list = (v: unknown): Node[] => (Array.isArray(v) ? v.filter(isJsonObject) : isJsonObject(v) ? [v] : []);

export function mavenEntry(groupId: string, artifactId: string, version: string, metadata: Record<string, string> = {}): DeclaredEntry {
  return {
    name: artifactId,
    version,
    purl: buildPurl('maven', groupId, artifactId, version),
    key: `${groupId}:${artifactId}`,
    metadata: { groupId, ...metadata },
  };
}

/** Scopes that are not part of what the artifact ships (trivy and syft leave them out by default). */
const EXCLUDED_SCOPES = new Set(['test', 'provided', 'system']);

/**
 * pom.xml without a repository: the project itself and its direct dependencies whose version is
 * literal or resolves from this pom's properties, project coordinates, parent or dependencyManagement.
 * Test/provided/system-scoped and optional dependencies are left out. A dependency whose version
 * cannot be resolved from this file is recorded as an Unknown, never guessed.
 */
export function parsePom(xml: string): DeclaredResult {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, reason: `invalid XML: ${valid.err.msg} (line ${String(valid.err.line)})` };
  let doc: unknown;
  try {
    doc = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true }).parse(xml);
  } catch (error) {
    return { ok: false, reason: `invalid XML: ${error instanceof Error ? error.message : String(error)}` };
  }
  const project = isJsonObject(doc) ? doc['project'] : undefined;
  if (!isJsonObject(project)) return { ok: false, reason: 'pom.xml has no <project> element' };
  const parent = isJsonObject(project['parent']) ? project['parent'] : {};
  const props = new Map<string, string>();
  for (const [k, v] of Object.entries(isJsonObject(project['properties']) ? project['properties'] : {})) {
    const value = text(v);
    if (value !== undefined) props.set(k, value);
  }
  const groupId = text(project['groupId']) ?? text(parent['groupId']);
  const artifactId = text(project['artifactId']);
  const version = text(project['version']) ?? text(parent['version']);
  for (const [k, v] of [['groupId', groupId], ['artifactId', artifactId], ['version', version]] as const) {
    if (v !== undefined) props.set(`project.${k}`, v).set(`pom.${k}`, v);
  }
  for (const [k, v] of [['groupId', text(parent['groupId'])], ['version', text(parent['version'])], ['artifactId', text(parent['artifactId'])]] as const) {
    if (v !== undefined) props.set(`project.parent.${k}`, v);
  }
  const resolve = (value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    let out = value;
    for (let depth = 0; depth < 10 && out.includes('${'); depth++) {
      out = out.replace(/\$\{([^}]+)\}/g, (whole, name: string) => props.get(name) ?? whole);
    }
    return out.includes('${') || out === '' ? undefined : out;
  };
  const managed = new Map<string, string>();
  const dm = isJsonObject(project['dependencyManagement']) && isJsonObject(project['dependencyManagement']['dependencies']) ? project['dependencyManagement']['dependencies']['dependency'] : undefined;
  for (const d of list(dm)) {
    const g = resolve(text(d['groupId']));
    const a = resolve(text(d['artifactId']));
    const v = resolve(text(d['version']));
    if (g !== undefined && a !== undefined && v !== undefined) managed.set(`${g}:${a}`, v);
  }
  const entries: DeclaredEntry[] = [];
  const unknowns: string[] = [];
  const rootGroup = resolve(groupId);
  const rootArtifact = resolve(artifactId);
  const rootVersion = resolve(version);
  const root = rootGroup !== undefined && rootArtifact !== undefined && rootVersion !== undefined ? mavenEntry(rootGroup, rootArtifact, rootVersion, { relationship: 'root' }) : undefined;
  if (root !== undefined) entries.push(root);
  const deps = isJsonObject(project['dependencies']) ? project['dependencies']['dependency'] : undefined;
  const direct: string[] = [];
  for (const d of list(deps)) {
    const scope = text(d['scope']) ?? 'compile';
    if (EXCLUDED_SCOPES.has(scope) || text(d['optional']) === 'true') continue;
    const g = resolve(text(d['groupId']));
    const a = resolve(text(d['artifactId']));
    if (g === undefined || a === undefined) {
      unknowns.push(`dependency ${text(d['groupId']) ?? '?'}:${text(d['artifactId']) ?? '?'}: coordinates do not resolve from this pom`);
      continue;
    }
    const raw = text(d['version']);
    const v = resolve(raw) ?? (raw === undefined ? managed.get(`${g}:${a}`) : undefined);
    if (v === undefined) {
      unknowns.push(`dependency ${g}:${a}: version ${raw ?? '(none)'} does not resolve from this pom (parent or BOM not available)`);
      continue;
    }
    if (/^[[(]/.test(v)) {
      unknowns.push(`dependency ${g}:${a}: version range ${v} needs a repository to resolve`);
      continue;
    }
    entries.push(mavenEntry(g, a, v, { relationship: 'direct', scope }));
    direct.push(`${g}:${a}`);
  }
  if (root !== undefined) entries[0] = { ...root, dependsOn: direct };
  return { ok: true, entries, unknowns };
}
