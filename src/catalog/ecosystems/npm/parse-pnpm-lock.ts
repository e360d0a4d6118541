import { parse as parseYaml } from 'yaml';
import { isJsonObject } from '../../../core/json.ts';

export interface PnpmEntry {
  readonly name: string;
  readonly version: string;
  readonly dev: boolean | undefined; // undefined when the lockfile does not say (v9)
  readonly dependencies: readonly { name: string; version: string }[];
}

export type PnpmResult = { readonly ok: true; readonly entries: readonly PnpmEntry[]; readonly prodRoots?: ReadonlySet<string> } | { readonly ok: false; readonly reason: string };

/**
 * pnpm-lock.yaml, lockfile versions 5.x ('/name/1.0.0_peer'), 6.x ('/name@1.0.0(peer)') and 9.x
 * ('name@1.0.0' with a separate `snapshots` section). Multi-document files use the last document
 * that has `packages`.
 */
export function parsePnpmLock(text: string): PnpmResult {
  let docs: unknown[];
  try {
    docs = text.split(/^---\s*$/m).filter((d) => d.trim() !== '').map((d) => parseYaml(d) as unknown);
  } catch (error) {
    return { ok: false, reason: `invalid YAML: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!docs.some((d) => isJsonObject(d))) return { ok: false, reason: 'pnpm-lock.yaml is not a mapping' };
  const entries: PnpmEntry[] = [];
  const seen = new Set<string>();
  const add = (entry: PnpmEntry): void => {
    const id = `${entry.name}@${entry.version}`;
    if (seen.has(id)) return;
    seen.add(id);
    entries.push(entry);
  };
  for (const doc of docs) {
    if (!isJsonObject(doc)) continue;
    const packages = isJsonObject(doc['packages']) ? doc['packages'] : {};
    const snapshots = isJsonObject(doc['snapshots']) ? doc['snapshots'] : undefined;
    const keys = new Set([...Object.keys(snapshots ?? {}), ...Object.keys(packages)]);
    for (const key of keys) {
      const parsed = parseKey(key);
      if (parsed === undefined) continue;
      const info = isJsonObject(snapshots?.[key]) ? (snapshots[key] as Record<string, unknown>) : isJsonObject(packages[key]) ? (packages[key] as Record<string, unknown>) : {};
      const meta = isJsonObject(packages[`${parsed.name}@${parsed.version}`]) ? (packages[`${parsed.name}@${parsed.version}`] as Record<string, unknown>) : info;
      const version = typeof meta['version'] === 'string' && /^\d/.test(meta['version']) ? meta['version'] : parsed.version;
      add({
        name: typeof meta['name'] === 'string' ? meta['name'] : parsed.name,
        version,
        dev: typeof info['dev'] === 'boolean' ? info['dev'] : undefined,
        dependencies: [...depList(info['dependencies']), ...depList(info['optionalDependencies'])],
      });
    }
    // direct dependencies of the root (v5) and of each importer (v6+), which a trimmed lockfile may list only there
    const importers = isJsonObject(doc['importers']) ? Object.values(doc['importers']) : [doc];
    for (const importer of importers) {
      if (!isJsonObject(importer)) continue;
      for (const field of ['dependencies', 'optionalDependencies', 'devDependencies']) {
        const deps = importer[field];
        if (!isJsonObject(deps)) continue;
        for (const [name, value] of Object.entries(deps)) {
          const raw = isJsonObject(value) ? value['version'] : value;
          if (typeof raw !== 'string' || raw.includes(':')) continue;
          add({ name, version: stripPeers(raw), dev: field === 'devDependencies', dependencies: [] });
        }
      }
    }
  }
  return { ok: true, entries };
}

function depList(value: unknown): { name: string; version: string }[] {
  if (!isJsonObject(value)) return [];
  return Object.entries(value).map(([name, v]) => ({ name, version: stripPeers(String(v)) }));
}

function stripPeers(version: string): string {
  return version.replace(/\(.*$/, '').replace(/_.*$/, '');
}

/** Package keys of every lockfile version → name and version; undefined for links and tarballs. */
export function parseKey(key: string): { name: string; version: string } | undefined {
  let k = key.startsWith('/') ? key.slice(1) : key;
  k = k.replace(/\(.*$/, ''); // v6/v9 peer suffix
  if (k.includes(':') && !/^[^:]+@npm:/.test(k)) return undefined; // link:, file:, git+…
  const scopeEnd = k.startsWith('@') ? k.indexOf('/') + 1 : 0;
  if (k.startsWith('@') && scopeEnd <= 1) return undefined;
  const rest = k.slice(scopeEnd);
  const sep = rest.search(/[@/]/); // '@' in v6/v9 keys, '/' in v5 keys
  if (sep <= 0) return undefined;
  const name = k.slice(0, scopeEnd + sep);
  const version = stripPeers(rest.slice(sep + 1).replace(/^npm:/, ''));
  if (version === '' || version.includes('/')) return undefined;
  return { name, version };
}
