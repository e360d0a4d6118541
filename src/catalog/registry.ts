import { LICENCE_RULES_VERSION, type Cataloguer, type CataloguerTag } from './cataloguer.ts';
import * as apk from './ecosystems/apk/index.ts';
import * as binary from './ecosystems/binary/index.ts';
import * as cargo from './ecosystems/cargo/index.ts';
import * as composer from './ecosystems/composer/index.ts';
import * as conan from './ecosystems/conan/index.ts';
import * as dart from './ecosystems/dart/index.ts';
import * as dotnet from './ecosystems/dotnet/index.ts';
import * as dpkg from './ecosystems/dpkg/index.ts';
import * as elixir from './ecosystems/elixir/index.ts';
import * as golang from './ecosystems/golang/index.ts';
import * as java from './ecosystems/java/index.ts';
import * as npm from './ecosystems/npm/index.ts';
import * as osRelease from './ecosystems/os-release/index.ts';
import * as python from './ecosystems/python/index.ts';
import * as rpm from './ecosystems/rpm/index.ts';
import * as ruby from './ecosystems/ruby/index.ts';
import * as swift from './ecosystems/swift/index.ts';

/**
 * The one table of cataloguers, keyed by folder name under ecosystems/.
 * Adding an ecosystem = a new folder + one line here; registry.test.ts checks the two agree.
 */
export const ECOSYSTEM_MODULES = {
  apk,
  binary,
  cargo,
  composer,
  conan,
  dart,
  dotnet,
  dpkg,
  elixir,
  golang,
  java,
  npm,
  'os-release': osRelease,
  python,
  rpm,
  ruby,
  swift,
} as const satisfies Record<string, { readonly cataloguers: readonly Cataloguer[] }>;

export const CATALOGUERS: readonly Cataloguer[] = Object.freeze(
  Object.values(ECOSYSTEM_MODULES).flatMap((module): readonly Cataloguer[] => module.cataloguers),
);

export interface CataloguerSelection {
  readonly tags?: readonly CataloguerTag[]; // all of these tags
  readonly exclude?: readonly string[]; // ids
}

export function selectCataloguers(selection: CataloguerSelection = {}): Cataloguer[] {
  const required = selection.tags ?? [];
  const excluded = new Set(selection.exclude ?? []);
  return CATALOGUERS.filter((c) => !excluded.has(c.id) && required.every((tag) => c.tags.includes(tag)));
}

/** Every cataloguer: what a folder (a source checkout, an unpacked rootfs) is catalogued with. */
export function folderCataloguers(): Cataloguer[] {
  return [...CATALOGUERS];
}

/**
 * What an image is catalogued with: all but the lockfile ('declared') cataloguers, which describe a
 * build input, not what was installed.
 */
export function imageCataloguers(): Cataloguer[] {
  return CATALOGUERS.filter((c) => !c.tags.includes('declared'));
}

/**
 * Imports the code that catalogues (each cataloguer's `load`). The table above holds descriptors only:
 * what the image reader asks (wants, probes) and what cache keys name (ids, versions).
 */
export async function loadImplementations(cataloguers: readonly Cataloguer[]): Promise<void> {
  await Promise.all(cataloguers.map((c) => c.load?.()));
}

/** "id@version,...;licences@N" of a selection: what a cached catalogue was made with. */
export function fingerprintOf(cataloguers: readonly Cataloguer[]): string {
  return `${cataloguers.map((c) => `${c.id}@${String(c.version)}`).join(',')};licences@${String(LICENCE_RULES_VERSION)}`;
}
