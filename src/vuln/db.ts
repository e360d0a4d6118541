import type { Advisory } from './advisory.ts';

/** One imported source, as recorded in the database (`tollgate db status`). */
export interface SourceRecord {
  /** Stable name: the path or URL it was imported from. */
  readonly name: string;
  readonly kind: 'folder' | 'zip' | 'file' | 'url';
  readonly importedAt: string;
  readonly advisories: number;
  readonly affected: number;
  /** Input files that were not advisories (counted, never silently dropped). */
  readonly skipped: number;
  readonly etag?: string | undefined;
  readonly lastModified?: string | undefined;
}

export interface DbCounts {
  readonly advisories: number;
  readonly affected: number;
  readonly aliases: number;
  readonly withdrawn: number;
  readonly byEcosystem: Readonly<Record<string, number>>;
}

/**
 * The advisory database port. The SQLite adapter (src/vuln-db) implements it; services get it
 * through an injected `open` function. Lookups are by (base ecosystem, package key).
 */
export interface VulnDb {
  /** Replaces everything previously imported from `source.name` with `advisories`, in one transaction. */
  replaceSource(source: SourceRecord, advisories: Iterable<Advisory>): { advisories: number; affected: number };
  sources(): readonly SourceRecord[];
  counts(): DbCounts;
  /**
   * Advisories with an affected entry for this package: same base ecosystem, and the same
   * release when `ecosystem` names one ("Debian:12"; entries without a release always qualify;
   * "Alpine:v3.19" = "Alpine:3.19"). Each carries only those affected entries (what matching needs).
   */
  advisoriesFor(ecosystem: string, name: string): readonly Advisory[];
  /** Every advisory whose id or alias is `id`. */
  advisoriesById(id: string): readonly Advisory[];
  close(): void;
}

export type OpenVulnDb = (path: string, options: { readonly create: boolean }) => VulnDb;

/** "Debian:12" → "Debian". */
export function baseOf(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon === -1 ? ecosystem : ecosystem.slice(0, colon);
}

function releaseOf(ecosystem: string): string | undefined {
  const colon = ecosystem.indexOf(':');
  return colon === -1 ? undefined : ecosystem.slice(colon + 1).replace(/^v(?=[0-9])/, '');
}

/**
 * Whether an advisory's affected ecosystem applies to a package's ecosystem: same base, and
 * the same release unless either side names none ("Alpine:v3.19" and "Alpine:3.19" are one).
 */
export function releaseMatches(packageEcosystem: string, advisoryEcosystem: string): boolean {
  if (baseOf(packageEcosystem) !== baseOf(advisoryEcosystem)) return false;
  const wanted = releaseOf(packageEcosystem);
  const given = releaseOf(advisoryEcosystem);
  return wanted === undefined || given === undefined || wanted === given;
}

/**
 * The name under which a package is indexed: PyPI names are normalised per PEP 503,
 * NuGet and Packagist names are case-insensitive; everything else is kept exactly.
 */
export function packageKey(ecosystem: string, name: string): string {
  const base = baseOf(ecosystem);
  if (base === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  if (base === 'NuGet' || base === 'Packagist') return name.toLowerCase();
  return name;
}
