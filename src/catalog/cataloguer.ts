import type { Logger } from '../core/logger.ts';
import type { Unknown } from '../core/result.ts';
import type { ProbeSpec } from '../image/probe.ts';
import type { FileEntry, FileTree } from '../image/types.ts';
import type { Distro, Package, Relationship } from './model.ts';

export type CataloguerTag = 'os' | 'language' | 'installed' | 'declared' | 'binary';

/**
 * `layer`: output depends only on the wanted files themselves, so the runner may catalogue
 * the files of each layer separately and cache the result per (layer digest, id, version).
 * `squashed`: needs the merged view (dpkg status spread over layers, file ownership across
 * cataloguers); run on every image.
 */
export type CataloguerScope = 'layer' | 'squashed';

/** Opens an SQLite database held in memory as bytes. The service layer provides it (node:sqlite needs a file). */
export interface SqliteReader {
  query(bytes: Buffer, sql: string): Promise<readonly Record<string, unknown>[]>;
}

export interface CatalogPorts {
  readonly sqlite?: SqliteReader;
}

export interface CatalogContext {
  /** The files this cataloguer asked for, sorted by path. */
  readonly files: readonly FileEntry[];
  readonly tree: FileTree;
  readonly log: Logger; // bound to { cataloguer: id }
  readonly ports: CatalogPorts;
  /** Paths some package owns; only given to cataloguers with `needsOwnership`. */
  readonly owned?: ReadonlySet<string>;
  /** Detected distribution (from os-release); given to every cataloguer after the os pass. */
  readonly distro?: Distro;
  readonly signal?: AbortSignal;
}

export interface CatalogOutput {
  readonly packages: readonly Package[];
  readonly relationships: readonly Relationship[];
  readonly unknowns: readonly Unknown[];
  readonly distro?: Distro;
}

export interface Cataloguer {
  /** Stable kebab-case id: SBOM foundBy, config and cache keys. Never reused. */
  readonly id: string;
  /** Bump when the same input would now give different output: part of the cache key. */
  readonly version: number;
  readonly tags: readonly CataloguerTag[];
  readonly scope: CataloguerScope;
  /** Runs after every other cataloguer, seeing which paths they claimed (unknown-owner binaries). */
  readonly needsOwnership?: boolean;
  /** Runs first: identifies the distribution for purl qualifiers (os-release). */
  readonly identifiesDistro?: boolean;
  /** Pure and cheap: the image walker asks it about every entry in one pass. */
  wants(entry: FileEntry): boolean;
  /**
   * Whether the image reader should keep this wanted entry's contents in memory while streaming
   * layers. Default: same as wants. Cataloguers that read only a few of many wanted files (after
   * ownership is known) say false and read through the tree on demand.
   */
  wantsContent?(entry: FileEntry): boolean;
  /**
   * Probes the image reader runs over the bytes of files during its walk, so the cataloguer gets what it
   * needs of big files (a binary's build info, a magic number) without their contents being kept or
   * read again (FileTree.probe). Names are global: the same name must mean the same probe.
   */
  readonly probes?: readonly ProbeSpec[];
  catalog(ctx: CatalogContext): Promise<CatalogOutput>;
  /**
   * Loads what `catalog` runs (its parsers and their libraries) ahead of the first call. An ecosystem's
   * index.ts holds only what the image reader asks (id, version, wants, probes), so a layer read or a
   * catalogue reused from the cache loads no cataloguer code; before a full catalogue the sbom service
   * loads every selected cataloguer's at once (registry.ts loadImplementations).
   */
  load?(): Promise<void>;
}

/**
 * Version of the licence normalisation every cataloguer shares (_shared/license.ts): bumped when the
 * same declared licence now reads differently. Part of every cache key beside the cataloguers' own
 * versions (run.ts cacheKey, registry.ts fingerprintOf).
 */
export const LICENCE_RULES_VERSION = 6;

/** What an ecosystem's implementation module exports for one cataloguer: its catalog, given its id. */
export type CatalogFunction = (ctx: CatalogContext, id: string) => Promise<CatalogOutput>;

/** `importer`, called once, on first use (a failed import is not retried: the build is broken). */
export function lazyModule<M>(importer: () => Promise<M>): () => Promise<M> {
  let loading: Promise<M> | undefined;
  return () => (loading ??= importer());
}

type CatalogFunctionName<M> = { readonly [K in keyof M]: M[K] extends CatalogFunction ? K : never }[keyof M];

/** A cataloguer as its ecosystem's index.ts declares it: everything but the code that catalogues. */
export type CataloguerDescriptor = Omit<Cataloguer, 'catalog' | 'load'>;

/**
 * Cataloguers implemented in a module imported on first use:
 * `const implemented = implementedIn(() => import('./catalog.ts'))`, then
 * `export const thing = implemented('catalogThing', { id, version, tags, scope, wants })`, where
 * catalog.ts exports `catalogThing(ctx, id)`.
 */
export function implementedIn<M>(importer: () => Promise<M>): <D extends CataloguerDescriptor>(name: CatalogFunctionName<M>, descriptor: D) => D & Pick<Cataloguer, 'catalog' | 'load'> {
  const module = lazyModule(importer);
  return (name, descriptor) => ({
    ...descriptor,
    async catalog(ctx) {
      const run = (await module())[name] as CatalogFunction;
      return run(ctx, descriptor.id);
    },
    async load() {
      await module();
    },
  });
}
