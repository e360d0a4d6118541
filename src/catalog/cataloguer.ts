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
}
