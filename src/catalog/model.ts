import type { Unknown } from '../core/result.ts';

/** Package ecosystems Tollgate catalogues; also the purl type for most of them. */
export type Ecosystem =
  | 'deb' | 'apk' | 'rpm' | 'npm' | 'pypi' | 'golang' | 'maven' | 'binary' | 'generic'
  | 'cargo' | 'composer' | 'gem' | 'nuget' | 'conan' | 'hex' | 'pub' | 'swift' | 'cocoapods';

/** Where a package (or the file that declared it) was found: the layer that wrote the file and its path. */
export interface PackageLocation {
  readonly layer: string;
  readonly path: string;
}

export interface SourcePackage {
  readonly name: string;
  readonly version?: string;
}

export interface Package {
  /** Stable within one catalogue: ecosystem, name, version and first location. Used as bom-ref. */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly ecosystem: Ecosystem;
  readonly purl: string;
  /** SPDX license expressions (normalised where possible; unrecognised text kept as LicenseRef-). */
  readonly licenses: readonly string[];
  readonly source?: SourcePackage;
  readonly arch?: string;
  readonly locations: readonly PackageLocation[];
  /** Id of the cataloguer that found it. */
  readonly foundBy: string;
  /** Extra facts worth keeping (go toolchain version, maven groupId, rpm epoch…). Sorted keys on output. */
  readonly metadata?: Readonly<Record<string, string>>;
}

export type RelationshipKind = 'contains' | 'depends-on' | 'owns';

/**
 * `contains`: the image (from = 'image') or an archive package contains `to`.
 * `depends-on`: package `from` depends on package `to` (ids).
 * `owns`: package `from` owns the file at path `to` ('/usr/bin/env').
 */
export interface Relationship {
  readonly kind: RelationshipKind;
  readonly from: string;
  readonly to: string;
}

export interface Distro {
  readonly id: string; // 'debian', 'alpine', 'rhel'…
  readonly versionId?: string;
  readonly versionCodename?: string;
  readonly prettyName?: string;
  readonly idLike?: readonly string[];
}

/** The result of cataloguing one image or tree: what every later gate trusts. */
export interface Catalog {
  readonly distro?: Distro;
  readonly packages: readonly Package[];
  readonly relationships: readonly Relationship[];
  readonly unknowns: readonly Unknown[];
}

export function packageId(ecosystem: Ecosystem, name: string, version: string, location?: PackageLocation): string {
  return `${ecosystem}:${name}@${version}${location === undefined ? '' : `:${location.path}`}`;
}
