/**
 * npm reachability: from the app's entry script, follow literal require()/import/export-from
 * statements (a static scan) through Node's resolution (relative files, node_modules upwards,
 * package.json main/exports) to the packages actually loaded. A non-literal require/import makes
 * the unreached packages 'unknown' rather than 'no'.
 */
import { builtinModules } from 'node:module';
import type { ReachTree } from './os.ts';
import { isJsonObject } from '../../core/json.ts';
import { normaliseLookupPath as normalise, parentPath } from '../../image/paths.ts';

export interface NpmReach {
  readonly entry: string;
  /** package.json path of each loaded package → the require chain that loaded it. */
  readonly loaded: ReadonlyMap<string, readonly string[]>;
  /** Files with a non-literal require()/import() (first few). */
  readonly dynamic: readonly string[];
  readonly files: number;
}

const BUILTINS = new Set(builtinModules);
const SPECIFIERS = [
  /\brequire\s*\(\s*(['"`])([^'"`$]+)\1\s*\)/g,
  /\bimport\s*\(\s*(['"])([^'"]+)\1\s*\)/g,
  /\b(?:import|export)\b[^'";]*?\bfrom\s*(['"])([^'"]+)\1/g,
  /\bimport\s+(['"])([^'"]+)\1/g,
];
const DYNAMIC = /\brequire\s*\(\s*[^'"`)\s]|\bimport\s*\(\s*[^'")\s]/;
const MAX_FILES = 50_000;

const decoder = new TextDecoder();

export async function npmLoadedPackages(tree: ReachTree, entry: string): Promise<NpmReach> {
  const isFile = (p: string): boolean => {
    const e = tree.resolve(p);
    return e !== undefined && e.type !== 'dir';
  };
  const isDir = (p: string): boolean => tree.resolve(p)?.type === 'dir';
  const readJson = async (p: string): Promise<Record<string, unknown> | undefined> => {
    try {
      const v: unknown = JSON.parse(decoder.decode(await tree.readFile(p)));
      return isJsonObject(v) ? v : undefined;
    } catch (cause) {
      void cause; // an unreadable package.json resolves like a missing one (index.js)
      return undefined;
    }
  };
  const asFile = (p: string): string | undefined => {
    for (const candidate of [p, `${p}.js`, `${p}.cjs`, `${p}.mjs`, `${p}.json`]) if (isFile(candidate)) return candidate;
    return undefined;
  };
  const asDir = async (p: string): Promise<string | undefined> => {
    if (!isDir(p)) return undefined;
    const pkg = await readJson(`${p}/package.json`);
    const exp = pkg?.['exports'];
    let main: string | undefined;
    if (typeof exp === 'string') main = exp;
    else if (exp !== null && typeof exp === 'object') {
      const dot = (exp as Record<string, unknown>)['.'] ?? exp;
      const pick = (v: unknown): string | undefined => {
        if (typeof v === 'string') return v;
        if (v !== null && typeof v === 'object') {
          const o = v as Record<string, unknown>;
          return pick(o['require']) ?? pick(o['node']) ?? pick(o['default']) ?? pick(o['import']);
        }
        return undefined;
      };
      main = pick(dot);
    }
    if (main === undefined && typeof pkg?.['main'] === 'string') main = pkg['main'];
    if (main !== undefined) {
      const found = asFile(normalise(`${p}/${main}`)) ?? asFile(normalise(`${p}/${main}/index`));
      if (found !== undefined) return found;
    }
    return asFile(`${p}/index`);
  };
  /** The package root (folder with package.json) holding a resolved file under node_modules. */
  const packageRoot = (file: string): string | undefined => {
    const i = file.lastIndexOf('/node_modules/');
    if (i === -1) return undefined;
    const rest = file.slice(i + '/node_modules/'.length).split('/');
    const n = rest[0]?.startsWith('@') === true ? 2 : 1;
    return `${file.slice(0, i)}/node_modules/${rest.slice(0, n).join('/')}`;
  };
  const resolve = async (from: string, spec: string): Promise<string | undefined> => {
    if (spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0] ?? '')) return undefined;
    if (spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/')) {
      const p = normalise(spec.startsWith('/') ? spec : `${parentPath(from)}/${spec}`);
      return asFile(p) ?? (await asDir(p));
    }
    for (let dir = parentPath(from); ; dir = parentPath(dir)) {
      if (!dir.endsWith('/node_modules')) {
        const p = `${dir === '/' ? '' : dir}/node_modules/${spec}`;
        const found = asFile(p) ?? (await asDir(p));
        if (found !== undefined) return found;
      }
      if (dir === '/') return undefined;
    }
  };

  const chains = new Map<string, readonly string[]>([[entry, [entry]]]);
  const loaded = new Map<string, readonly string[]>();
  const dynamic: string[] = [];
  const queue = [entry];
  while (queue.length > 0 && chains.size < MAX_FILES) {
    const file = queue.shift() ?? '';
    if (file.endsWith('.json')) continue;
    let text: string;
    try {
      text = decoder.decode(await tree.readFile(file));
    } catch (cause) {
      void cause; // unreadable source: nothing it requires can be followed
      continue;
    }
    if (DYNAMIC.test(text) && dynamic.length < 20) dynamic.push(file);
    const chain = chains.get(file) ?? [file];
    for (const re of SPECIFIERS) {
      for (const m of text.matchAll(re)) {
        const spec = m[2];
        if (spec === undefined) continue;
        const target = await resolve(file, spec);
        if (target === undefined || chains.has(target)) continue;
        const next = [...chain, `${target} (require ${spec})`];
        chains.set(target, next);
        queue.push(target);
        const root = packageRoot(target);
        if (root !== undefined && !loaded.has(`${root}/package.json`)) loaded.set(`${root}/package.json`, next);
      }
    }
  }
  return { entry, loaded, dynamic, files: chains.size };
}
