import type { DeclaredEntry, DeclaredResult } from '../../_shared/declared.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { isJsonObject } from '../../../core/json.ts';

/** A conan reference `name/version[@user/channel][#revision]`. */
export function parseRef(ref: string): { name: string; version: string; user?: string; channel?: string } | undefined {
  const m = /^([^/@#\s]+)\/([^@#\s]+)(?:@([^/#\s]+)\/([^#\s]+))?(?:#.*)?$/.exec(ref.trim());
  if (m === null) return undefined;
  return { name: m[1] as string, version: m[2] as string, ...(m[3] !== undefined && m[3] !== '_' ? { user: m[3] } : {}), ...(m[4] !== undefined && m[4] !== '_' ? { channel: m[4] } : {}) };
}

function entry(ref: string, dependsOn: readonly string[] = []): DeclaredEntry | undefined {
  const r = parseRef(ref);
  if (r === undefined) return undefined;
  return { name: r.name, version: r.version, purl: buildPurl('conan', r.user, r.name, r.version, { channel: r.user === undefined ? undefined : r.channel }), key: `${r.name}/${r.version}`, dependsOn };
}

/**
 * conan.lock: v1 (`graph_lock.nodes`, node "0" the consumer itself, `requires` giving depends-on;
 * build requirements left out) and v2 (`requires` and `python_requires` lists; `build_requires` left out).
 */
export function parseConanLock(text: string): DeclaredResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isJsonObject(doc)) return { ok: false, reason: 'conan.lock is not an object' };
  const entries: DeclaredEntry[] = [];
  const graph = isJsonObject(doc['graph_lock']) && isJsonObject(doc['graph_lock']['nodes']) ? doc['graph_lock']['nodes'] : undefined;
  if (graph !== undefined) {
    const refOf = (id: string): string | undefined => {
      const node = graph[id];
      return isJsonObject(node) && typeof node['ref'] === 'string' ? node['ref'] : undefined;
    };
    for (const [id, node] of Object.entries(graph)) {
      if (!isJsonObject(node) || id === '0' || typeof node['ref'] !== 'string' || node['context'] === 'build') continue;
      const requires = (Array.isArray(node['requires']) ? node['requires'] : []).map((r) => refOf(String(r))).map((r) => (r === undefined ? undefined : parseRef(r))).filter((r) => r !== undefined).map((r) => `${r.name}/${r.version}`);
      const e = entry(node['ref'], requires);
      if (e !== undefined) entries.push(e);
    }
    return { ok: true, entries };
  }
  for (const field of ['requires', 'python_requires']) {
    const list = doc[field];
    if (!Array.isArray(list)) continue;
    for (const ref of list) if (typeof ref === 'string') {
      const e = entry(ref);
      if (e !== undefined) entries.push(e);
    }
  }
  return { ok: true, entries };
}

/** conanfile.txt: the `[requires]` section's references with a literal version (ranges `[>=1 <2]` need a resolver). */
export function parseConanfileTxt(text: string): DeclaredResult {
  const entries: DeclaredEntry[] = [];
  const unknowns: string[] = [];
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header !== null) {
      section = header[1] as string;
      continue;
    }
    if (section !== 'requires') continue;
    if (line.includes('[')) {
      unknowns.push(`requirement ${line}: a version range needs conan to resolve`);
      continue;
    }
    const e = entry(line);
    if (e !== undefined) entries.push(e);
  }
  return { ok: true, entries, unknowns };
}
