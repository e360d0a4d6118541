import type { Unknown } from '../../core/result.ts';
import type { FileEntry, FileTree } from '../../image/types.ts';
import type { Cataloguer, CataloguerTag } from '../cataloguer.ts';
import type { Ecosystem, Package, Relationship } from '../model.ts';
import { normaliseLicenses } from './license.ts';
import { baseName, decodeText, describeError, parentPath, locationOf, unknownAt } from './text.ts';

/** One package a lockfile or manifest declares. */
export interface DeclaredEntry {
  readonly name: string;
  readonly version: string;
  readonly purl: string;
  readonly licenses?: readonly string[];
  /** How other entries refer to it in `dependsOn` (default: name). */
  readonly key?: string;
  /** Keys of the entries it depends on, where the file says. */
  readonly dependsOn?: readonly string[];
  readonly metadata?: Readonly<Record<string, string>>;
}

export type DeclaredResult =
  | { readonly ok: true; readonly entries: readonly DeclaredEntry[]; readonly unknowns?: readonly string[] }
  | { readonly ok: false; readonly reason: string };

export interface DeclaredInput {
  readonly path: string;
  /** Text of a file beside the lockfile (go.sum, pyproject.toml, composer.json); undefined when absent. */
  sibling(name: string): Promise<string | undefined>;
}

export interface DeclaredSpec {
  readonly id: string;
  readonly version: number;
  readonly ecosystem: Ecosystem;
  /** Whether a file (by absolute path and basename) is one this cataloguer reads. */
  readonly matches: (path: string, name: string) => boolean;
  readonly parse: (text: string, input: DeclaredInput) => DeclaredResult | Promise<DeclaredResult>;
  /** Default ['language', 'declared'] (folder sources only); installed-package databases say 'installed'. */
  readonly tags?: readonly CataloguerTag[];
}

const VENDORED = /\/(?:node_modules|vendor\/bundle|\.git)\//;

async function readSibling(tree: FileTree, lock: FileEntry, name: string): Promise<string | undefined> {
  const dir = parentPath(lock.path);
  const path = `${dir === '/' ? '' : dir}/${name}`;
  const entry = tree.get(path);
  if (entry === undefined || (entry.type !== 'file' && entry.type !== 'hardlink')) return undefined;
  return decodeText(await tree.readFile(path));
}

/**
 * A lockfile/manifest cataloguer ('declared': folder sources only): reads each matching file,
 * records one package per entry located at the file, depends-on edges between entries of the same
 * file, and an Unknown for each file (or entry) it cannot read.
 */
export function declaredCataloguer(spec: DeclaredSpec): Cataloguer {
  return {
    id: spec.id,
    version: spec.version,
    tags: spec.tags ?? ['language', 'declared'],
    scope: 'layer',

    wants(entry: FileEntry) {
      return (entry.type === 'file' || entry.type === 'hardlink') && spec.matches(entry.path, baseName(entry.path)) && !VENDORED.test(entry.path);
    },

    async catalog(ctx) {
      const packages: Package[] = [];
      const relationships: Relationship[] = [];
      const unknowns: Unknown[] = [];
      const seen = new Set<string>(); // package ids so far, across files
      for (const file of ctx.files) {
        let parsed: DeclaredResult;
        try {
          const text = decodeText(await ctx.tree.readFile(file.path));
          parsed = await spec.parse(text, { path: file.path, sibling: (name) => readSibling(ctx.tree, file, name) });
        } catch (error) {
          unknowns.push(unknownAt(spec.id, file, `unreadable ${baseName(file.path)}: ${describeError(error)}`));
          continue;
        }
        if (!parsed.ok) {
          unknowns.push(unknownAt(spec.id, file, parsed.reason));
          continue;
        }
        for (const reason of parsed.unknowns ?? []) unknowns.push(unknownAt(spec.id, file, reason));
        const location = locationOf(file);
        const byKey = new Map<string, Package>();
        for (const entry of parsed.entries) {
          const pkg: Package = {
            id: `${spec.ecosystem}:${entry.name}@${entry.version}:${file.path}`,
            name: entry.name,
            version: entry.version,
            ecosystem: spec.ecosystem,
            purl: entry.purl,
            licenses: normaliseLicenses(entry.licenses ?? []),
            locations: [location],
            foundBy: spec.id,
            ...(entry.metadata !== undefined && Object.keys(entry.metadata).length > 0 ? { metadata: entry.metadata } : {}),
          };
          if (!byKey.has(entry.key ?? entry.name)) byKey.set(entry.key ?? entry.name, pkg);
          if (seen.has(pkg.id)) continue;
          seen.add(pkg.id);
          packages.push(pkg);
        }
        for (const entry of parsed.entries) {
          const from = byKey.get(entry.key ?? entry.name);
          if (from === undefined) continue;
          for (const dep of entry.dependsOn ?? []) {
            const to = byKey.get(dep);
            if (to !== undefined && to.id !== from.id) relationships.push({ kind: 'depends-on', from: from.id, to: to.id });
          }
        }
      }
      return { packages, relationships, unknowns };
    },
  };
}
