import type { CataloguerTag } from '../cataloguer.ts';
import type { Ecosystem } from '../model.ts';

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

export interface DeclaredSpec<M = unknown> {
  readonly id: string;
  readonly version: number;
  readonly ecosystem: Ecosystem;
  /** Whether a file (by absolute path and basename) is one this cataloguer reads. */
  readonly matches: (path: string, name: string) => boolean;
  /**
   * The module that parses (a lazyModule: imported on the first catalogue, so the registry loads no
   * parser and none of their libraries).
   */
  readonly parser: () => Promise<M>;
  readonly parse: (parser: M, text: string, input: DeclaredInput) => DeclaredResult | Promise<DeclaredResult>;
  /** Default ['language', 'declared'] (folder sources only); installed-package databases say 'installed'. */
  readonly tags?: readonly CataloguerTag[];
}
