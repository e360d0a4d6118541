import type { VersionScheme } from './scheme.ts';
import { apk } from './schemes/apk/index.ts';
import { cargo } from './schemes/cargo/index.ts';
import { cran } from './schemes/cran/index.ts';
import { deb } from './schemes/deb/index.ts';
import { go } from './schemes/go/index.ts';
import { hackage } from './schemes/hackage/index.ts';
import { maven } from './schemes/maven/index.ts';
import { npm } from './schemes/npm/index.ts';
import { nuget } from './schemes/nuget/index.ts';
import { packagist } from './schemes/packagist/index.ts';
import { pep440 } from './schemes/pep440/index.ts';
import { pub } from './schemes/pub/index.ts';
import { rpm } from './schemes/rpm/index.ts';
import { rubygems } from './schemes/rubygems/index.ts';
import { semver } from './schemes/semver/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one table of schemes of different V
export type AnyVersionScheme = VersionScheme<any>;

/** The one table of version schemes, keyed by id (= folder name under schemes/). */
export const SCHEMES: Readonly<Record<string, AnyVersionScheme>> = Object.freeze({
  apk,
  cargo,
  cran,
  deb,
  go,
  hackage,
  maven,
  npm,
  nuget,
  packagist,
  pep440,
  pub,
  rpm,
  rubygems,
  semver,
});

/**
 * OSV ecosystem names (the part before the first ':' — "Debian:12", "Alpine:v3.19",
 * "Red Hat:enterprise_linux:9::appstream") → scheme id.
 */
export const ECOSYSTEM_SCHEMES: Readonly<Record<string, string>> = Object.freeze({
  AlmaLinux: 'rpm',
  Alpine: 'apk',
  Alpaquita: 'apk',
  'BellSoft Hardened Containers': 'apk',
  Bitnami: 'semver',
  Chainguard: 'apk',
  CRAN: 'cran',
  'crates.io': 'cargo',
  Debian: 'deb',
  Echo: 'deb',
  Go: 'go',
  Hackage: 'hackage',
  Hex: 'semver',
  Mageia: 'rpm',
  Maven: 'maven',
  MinimOS: 'apk',
  npm: 'npm',
  NuGet: 'nuget',
  openEuler: 'rpm',
  openSUSE: 'rpm',
  Packagist: 'packagist',
  Photon: 'rpm',
  Pub: 'pub',
  PyPI: 'pep440',
  'Red Hat': 'rpm',
  'Rocky Linux': 'rpm',
  RubyGems: 'rubygems',
  SUSE: 'rpm',
  SwiftURL: 'semver',
  Ubuntu: 'deb',
  Wolfi: 'apk',
});

/** Package URL types (purl-spec) → scheme id. */
export const PURL_TYPE_SCHEMES: Readonly<Record<string, string>> = Object.freeze({
  alpm: 'rpm',
  apk: 'apk',
  cargo: 'cargo',
  composer: 'packagist',
  cran: 'cran',
  deb: 'deb',
  gem: 'rubygems',
  golang: 'go',
  hackage: 'hackage',
  hex: 'semver',
  maven: 'maven',
  npm: 'npm',
  nuget: 'nuget',
  pub: 'pub',
  pypi: 'pep440',
  rpm: 'rpm',
  swift: 'semver',
});

/** The base OSV ecosystem of an ecosystem string: "Debian:12" → "Debian". */
export function baseEcosystem(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon === -1 ? ecosystem : ecosystem.slice(0, colon);
}

function byName(table: Readonly<Record<string, string>>, name: string): AnyVersionScheme | undefined {
  const exact = table[name];
  if (exact !== undefined) return SCHEMES[exact];
  const lower = name.toLowerCase();
  for (const [key, id] of Object.entries(table)) if (key.toLowerCase() === lower) return SCHEMES[id];
  return undefined;
}

/**
 * The scheme for an OSV ecosystem ("Debian:12", "PyPI"), a purl type ("deb", "pypi") or a
 * scheme id ("pep440"); names match case-insensitively. undefined when none fits.
 */
export function schemeFor(name: string): AnyVersionScheme | undefined {
  const trimmed = name.trim();
  return (
    byName(ECOSYSTEM_SCHEMES, baseEcosystem(trimmed)) ??
    byName(PURL_TYPE_SCHEMES, trimmed) ??
    byName(Object.fromEntries(Object.keys(SCHEMES).map((id) => [id, id])), trimmed)
  );
}

export function schemeForEcosystem(ecosystem: string): AnyVersionScheme | undefined {
  return byName(ECOSYSTEM_SCHEMES, baseEcosystem(ecosystem.trim()));
}

export function schemeForPurlType(type: string): AnyVersionScheme | undefined {
  return byName(PURL_TYPE_SCHEMES, type.trim());
}
