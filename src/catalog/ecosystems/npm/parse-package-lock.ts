import { isJsonObject } from '../../../core/json.ts';
import { declaredLicenses, keysOf } from './parse-package-json.ts';

export interface LockEntry {
  readonly name: string;
  readonly version: string;
  readonly licenses: readonly string[];
  readonly dev: boolean;
  /** Where the lock places it ('node_modules/a/node_modules/b'); v1 synthesises the same shape. */
  readonly path: string;
  readonly dependencies: readonly string[];
  readonly resolved?: string;
  readonly integrity?: string;
}

export type LockResult = { readonly ok: true; readonly entries: readonly LockEntry[] } | { readonly ok: false; readonly reason: string };

/** package-lock.json / npm-shrinkwrap.json, lockfileVersion 1 (nested `dependencies`) and 2–3 (`packages`). */
export function parsePackageLock(text: string): LockResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isJsonObject(doc)) return { ok: false, reason: 'lockfile is not an object' };
  const entries: LockEntry[] = [];
  // the project itself, as npm v7+ records it in packages[""] (v1 lockfiles list only dependencies, as syft reads them)
  const root = isJsonObject(doc['packages']) && isJsonObject(doc['packages']['']) ? doc['packages'][''] : undefined;
  const rootName = root === undefined ? undefined : typeof root['name'] === 'string' ? root['name'] : doc['name'];
  const rootVersion = root === undefined ? undefined : typeof root['version'] === 'string' ? root['version'] : doc['version'];
  if (root !== undefined && typeof rootName === 'string' && rootName !== '' && typeof rootVersion === 'string' && rootVersion !== '') {
    entries.push({ ...entry(rootName, rootVersion, '', root), dependencies: [] });
  }
  if (isJsonObject(doc['packages'])) {
    for (const [path, raw] of Object.entries(doc['packages'])) {
      if (path === '' || !isJsonObject(raw) || raw['link'] === true) continue;
      const index = path.lastIndexOf('node_modules/');
      const name = typeof raw['name'] === 'string' ? raw['name'] : index >= 0 ? path.slice(index + 'node_modules/'.length) : undefined;
      const version = raw['version'];
      if (name === undefined || typeof version !== 'string' || version === '') continue;
      entries.push(entry(name, version, path, raw));
    }
    return { ok: true, entries };
  }
  if (isJsonObject(doc['dependencies'])) {
    // a dependency nested under a dev dependency is itself only there for development
    const walk = (deps: Record<string, unknown>, prefix: string, devParent: boolean): void => {
      for (const [name, raw] of Object.entries(deps)) {
        if (!isJsonObject(raw) || typeof raw['version'] !== 'string') continue;
        const path = `${prefix}node_modules/${name}`;
        const version = raw['version'];
        // aliases: "version": "npm:real-name@1.2.3"
        const alias = /^npm:(.+)@([^@]+)$/.exec(version);
        const dev = devParent || raw['dev'] === true;
        entries.push(entry(alias?.[1] ?? name, alias?.[2] ?? version, path, { ...raw, dev, dependencies: raw['requires'] }));
        if (isJsonObject(raw['dependencies'])) walk(raw['dependencies'], `${path}/`, dev);
      }
    };
    walk(doc['dependencies'], '', false);
    return { ok: true, entries };
  }
  return { ok: true, entries };
}

function entry(name: string, version: string, path: string, raw: Record<string, unknown>): LockEntry {
  const resolved = raw['resolved'];
  const integrity = raw['integrity'];
  return {
    name,
    version,
    licenses: declaredLicenses(raw['license'], raw['licenses']),
    dev: raw['dev'] === true || raw['devOptional'] === true,
    path,
    dependencies: [...keysOf(raw['dependencies']), ...keysOf(raw['optionalDependencies'])],
    ...(typeof resolved === 'string' ? { resolved } : {}),
    ...(typeof integrity === 'string' ? { integrity } : {}),
  };
}
