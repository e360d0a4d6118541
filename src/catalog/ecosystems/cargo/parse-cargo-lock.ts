import { parse as parseToml } from 'smol-toml';
import type { DeclaredEntry, DeclaredResult } from '../../_shared/declared.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { isJsonObject } from '../../../core/json.ts';

type Table = Record<string, unknown>;

function toml(text: string): Table | Error {
  try {
    return parseToml(text) as Table;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
}

/** Dependency names of a Cargo.toml that ship: [dependencies] and [target.*.dependencies] (dev-dependencies left out). */
export function manifestDependencies(text: string): { name: string | undefined; deps: Set<string> } | undefined {
  const doc = toml(text);
  if (doc instanceof Error) return undefined;
  const deps = new Set<string>();
  const add = (table: unknown): void => {
    if (!isJsonObject(table)) return;
    for (const [key, spec] of Object.entries(table)) deps.add(isJsonObject(spec) && typeof spec['package'] === 'string' ? spec['package'] : key);
  };
  add(doc['dependencies']);
  if (isJsonObject(doc['target'])) for (const t of Object.values(doc['target'])) if (isJsonObject(t)) add(t['dependencies']);
  const pkg = isJsonObject(doc['package']) ? doc['package'] : {};
  return { name: typeof pkg['name'] === 'string' ? pkg['name'] : undefined, deps };
}

/**
 * Cargo.lock (v1–v4): every [[package]], depends-on from `dependencies` ("name", "name version",
 * "name version (source)"). With a Cargo.toml beside it, only the root crate and what its
 * non-dev dependencies reach, as trivy does.
 */
export function parseCargoLock(text: string, manifest: string | undefined): DeclaredResult {
  const doc = toml(text);
  if (doc instanceof Error) return { ok: false, reason: `invalid TOML: ${doc.message}` };
  const raw = Array.isArray(doc['package']) ? doc['package'].filter(isJsonObject) : [];
  const versionsOf = new Map<string, string[]>();
  for (const p of raw) if (typeof p['name'] === 'string' && typeof p['version'] === 'string') versionsOf.set(p['name'], [...(versionsOf.get(p['name']) ?? []), p['version']]);
  const all: DeclaredEntry[] = [];
  for (const p of raw) {
    const { name, version } = p;
    if (typeof name !== 'string' || typeof version !== 'string') continue;
    const deps = (Array.isArray(p['dependencies']) ? p['dependencies'] : [])
      .filter((d): d is string => typeof d === 'string')
      .map((d) => {
        const [n, v] = d.split(' ') as [string, string?];
        return `${n}@${v ?? versionsOf.get(n)?.[0] ?? ''}`;
      });
    all.push({ name, version, purl: buildPurl('cargo', undefined, name, version), key: `${name}@${version}`, dependsOn: deps, ...(p['source'] === undefined ? { metadata: { relationship: 'root' } } : {}) });
  }
  const parsedManifest = manifest === undefined ? undefined : manifestDependencies(manifest);
  const root = parsedManifest === undefined ? undefined : all.find((e) => e.name === parsedManifest.name && e.metadata?.['relationship'] === 'root');
  if (parsedManifest === undefined || root === undefined) return { ok: true, entries: all };
  const byKey = new Map(all.map((e) => [e.key as string, e]));
  const rootEntry: DeclaredEntry = { ...root, dependsOn: (root.dependsOn ?? []).filter((d) => parsedManifest.deps.has(d.slice(0, d.lastIndexOf('@')))) };
  byKey.set(rootEntry.key as string, rootEntry);
  const reached = new Set<string>();
  const queue = [rootEntry.key as string];
  while (queue.length > 0) {
    const key = queue.pop() as string;
    if (reached.has(key) || !byKey.has(key)) continue;
    reached.add(key);
    queue.push(...(byKey.get(key)?.dependsOn ?? []));
  }
  return { ok: true, entries: [...byKey.values()].filter((e) => reached.has(e.key as string)) };
}
