/**
 * Python reachability: from the entry script, follow literal `import a.b` / `from a import b` /
 * relative imports (a static scan) through the site folders to the distributions actually loaded.
 * Modules map to distributions by the metadata folder's top_level.txt (egg-info, dist-info) or RECORD.
 * A computed import (importlib.import_module(x), __import__(x)) makes the unreached distributions
 * 'unknown' rather than 'no'.
 */
import type { ReachTree } from './os.ts';
import { parentPath } from '../../image/paths.ts';

export interface PythonReach {
  readonly entry: string;
  /** Metadata folder of each loaded distribution ('/usr/lib/python3/dist-packages/requests-2.28.1.egg-info') → import chain. */
  readonly loaded: ReadonlyMap<string, readonly string[]>;
  readonly dynamic: readonly string[];
  readonly files: number;
}

const IMPORT = /^[ \t]*import[ \t]+([A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?)*)/gm;
const FROM = /^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?([\w ,\t*]+(?:\n[\w ,\t]*)*)/gm;
const DYNAMIC = /\b(?:importlib\.import_module|__import__)\s*\(\s*[^'"\s)]/;
const decoder = new TextDecoder();

/**
 * @param sites site folders to search (dist-packages, site-packages), in order
 * @param metadataDirs the distributions' metadata folders (*.dist-info, *.egg-info) in those sites
 */
export async function pythonLoadedDistributions(tree: ReachTree, entry: string, sites: readonly string[], metadataDirs: readonly string[]): Promise<PythonReach> {
  const isFile = (p: string): boolean => {
    const e = tree.resolve(p);
    return e !== undefined && e.type !== 'dir';
  };
  const isDir = (p: string): boolean => tree.resolve(p)?.type === 'dir';
  const readText = async (p: string): Promise<string | undefined> => {
    try {
      return decoder.decode(await tree.readFile(p));
    } catch (cause) {
      void cause; // unreadable metadata or source: nothing to follow
      return undefined;
    }
  };

  // Top-level module name (in its site) → distribution metadata folder.
  const owner = new Map<string, string>();
  for (const meta of metadataDirs) {
    const site = parentPath(meta);
    const tops = new Set<string>();
    const topLevel = await readText(`${meta}/top_level.txt`);
    if (topLevel !== undefined) for (const line of topLevel.split('\n')) if (line.trim() !== '') tops.add(line.trim().split('/')[0] ?? '');
    if (tops.size === 0) {
      const record = await readText(`${meta}/RECORD`);
      for (const line of record?.split('\n') ?? []) {
        const first = line.split(',')[0]?.split('/')[0] ?? '';
        if (first === '' || first.endsWith('.dist-info') || first.endsWith('.egg-info') || first === '..' || first === '__pycache__') continue;
        tops.add(first.replace(/\.py$/, ''));
      }
    }
    for (const top of tops) if (top !== '') owner.set(`${site}/${top}`, meta);
  }

  /** A dotted module → its file (module.py or package/__init__.py) under `base`. */
  const moduleFile = (base: string, dotted: string): string | undefined => {
    const rel = dotted.split('.').join('/');
    for (const candidate of [`${base}/${rel}.py`, `${base}/${rel}/__init__.py`]) if (isFile(candidate)) return candidate;
    // A compiled extension or namespace package: reached, nothing to scan.
    if (isDir(`${base}/${rel}`)) return `${base}/${rel}`;
    // A compiled extension: mod.cpython-311-x86_64-linux-gnu.so, mod.abi3.so, mod.so.
    const dir = parentPath(`${base}/${rel}`);
    const leaf = rel.split('/').pop() ?? rel;
    if (!isDir(dir)) return undefined;
    return tree.list(dir).find((e) => e.path.endsWith('.so') && (e.path.split('/').pop() ?? '').startsWith(`${leaf}.`))?.path;
  };
  const entryDir = parentPath(entry);
  const roots = [entryDir, ...sites];

  const chains = new Map<string, readonly string[]>([[entry, [entry]]]);
  const loaded = new Map<string, readonly string[]>();
  const dynamic: string[] = [];
  const queue = [entry];
  const reach = (from: string, target: string, label: string, base: string, top: string): void => {
    if (chains.has(target)) return;
    const chain = [...(chains.get(from) ?? [from]), `${target} (${label})`];
    chains.set(target, chain);
    if (target.endsWith('.py')) queue.push(target);
    const meta = owner.get(`${base}/${top}`);
    if (meta !== undefined && !loaded.has(meta)) loaded.set(meta, chain);
  };
  /** Absolute import of `dotted` (and its parents, which Python imports first). */
  const importAbsolute = (from: string, dotted: string, label: string): void => {
    const parts = dotted.split('.');
    const top = parts[0] ?? '';
    for (const base of roots) {
      const first = moduleFile(base, top);
      if (first === undefined) continue;
      for (let i = 1; i <= parts.length; i++) {
        const f = moduleFile(base, parts.slice(0, i).join('.'));
        if (f !== undefined) reach(from, f, label, base, top);
      }
      return;
    }
  };

  while (queue.length > 0 && chains.size < 50_000) {
    const file = queue.shift() ?? '';
    const text = await readText(file);
    if (text === undefined) continue;
    if (DYNAMIC.test(text) && dynamic.length < 20) dynamic.push(file);
    for (const m of text.matchAll(IMPORT)) {
      for (const item of (m[1] ?? '').split(',')) {
        const name = item.trim().split(/\s+/)[0];
        if (name !== undefined && name !== '') importAbsolute(file, name, `import ${name}`);
      }
    }
    for (const m of text.matchAll(FROM)) {
      const mod = m[1] ?? '';
      const names = (m[2] ?? '').split(/[,\s()]+/).filter((n) => n !== '' && n !== 'as' && n !== '*');
      if (mod.startsWith('.')) {
        // Relative: resolve against the importing file's package.
        const dots = /^\.+/.exec(mod)?.[0].length ?? 1;
        let pkgDir = parentPath(file);
        for (let i = 1; i < dots; i++) pkgDir = parentPath(pkgDir);
        const rest = mod.slice(dots);
        const site = roots.find((r) => pkgDir === r || pkgDir.startsWith(`${r}/`)) ?? pkgDir;
        const top = pkgDir.slice(site.length + 1).split('/')[0] ?? '';
        const targets = rest === '' ? names : [rest, ...names.map((n) => `${rest}.${n}`)];
        for (const t of targets) {
          const f = moduleFile(pkgDir, t);
          if (f !== undefined) reach(file, f, `from ${mod} import`, site, top);
        }
        continue;
      }
      importAbsolute(file, mod, `from ${mod} import`);
      // `from pkg import sub` may import a submodule.
      for (const n of names) {
        for (const base of roots) {
          const f = moduleFile(base, `${mod}.${n}`);
          if (f !== undefined) {
            reach(file, f, `from ${mod} import ${n}`, base, mod.split('.')[0] ?? mod);
            break;
          }
        }
      }
    }
  }
  return { entry, loaded, dynamic, files: chains.size };
}
