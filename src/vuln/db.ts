import type { Advisory, AdvisoryHead, PackedAffected } from './advisory.ts';

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
   * release when `ecosystem` names one, compared by releaseKey ("Debian:12"; entries without a
   * release always qualify; "Alpine:v3.19" = "Alpine:3.19", "Ubuntu:22.04" = "Ubuntu:22.04:LTS").
   * Each carries only those affected entries (what matching needs).
   */
  advisoriesFor(ecosystem: string, name: string): readonly Advisory[];
  /**
   * What matching reads (see MatchSource in match.ts): for each name (every name present), the
   * affected entries advisoriesFor would carry, packed and in their matching form (forMatching in
   * advisory.ts), each with its advisory's ref (the database's key).
   */
  matchEntriesForMany(ecosystem: string, names: readonly string[]): ReadonlyMap<string, readonly PackedAffected[]>;
  /** The advisories (without affected entries) of these refs; refs not in the database are left out. */
  advisoryHeads(refs: readonly number[]): ReadonlyMap<number, AdvisoryHead>;
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

/** Debian codenames as some feeds spell the release ("Debian:bookworm"); os-release gives VERSION_ID 12. */
const DEBIAN_CODENAMES: Readonly<Record<string, string>> = {
  jessie: '8', stretch: '9', buster: '10', bullseye: '11', bookworm: '12', trixie: '13', forky: '14', duke: '15',
};

/** The first ':'-separated part that is a dotted number ("Red Hat:enterprise_linux:9::appstream" → "9"). */
function numericPart(parts: readonly string[]): string | undefined {
  return parts.find((p) => /^[0-9]+(\.[0-9]+)*$/.test(p));
}

/**
 * The canonical release of an ecosystem string, or undefined when it names none. Advisory feeds
 * and the catalogue spell one release differently; this folds them together:
 * - Alpine "v3.19", "3.19", "3.19.1" → "3.19" ("edge" stays "edge");
 * - Debian "12", "12.5", "bookworm" → "12";
 * - Ubuntu "22.04", "22.04:LTS", "Pro:22.04:LTS", "Pro:FIPS:22.04:LTS" → "22.04" (Pro/ESM records
 *   concern the same installed release: a package without the ESM fix is affected);
 * - AlmaLinux / Rocky Linux / Red Hat / Oracle / CentOS "9", "9.3", "enterprise_linux:9::appstream" → "9";
 * - anything else: lower case, runs of blanks and ':' as one ':', a "v" before a digit dropped
 *   ("openSUSE:Leap 15.5" and "openSUSE:Leap:15.5" are one).
 */
export function releaseKey(ecosystem: string): string | undefined {
  const colon = ecosystem.indexOf(':');
  if (colon === -1) return undefined;
  const base = ecosystem.slice(0, colon);
  const rest = ecosystem.slice(colon + 1).trim();
  if (rest === '') return undefined;
  const parts = rest.split(':').map((p) => p.trim());
  switch (base) {
    case 'Alpine': {
      const m = /^v?([0-9]+)\.([0-9]+)/.exec(rest);
      return m === null ? rest.toLowerCase() : `${m[1] ?? ''}.${m[2] ?? ''}`;
    }
    case 'Debian': {
      const code = DEBIAN_CODENAMES[rest.toLowerCase()];
      if (code !== undefined) return code;
      const m = /^([0-9]+)/.exec(rest);
      return m?.[1] ?? rest.toLowerCase();
    }
    case 'Ubuntu': {
      const n = numericPart(parts);
      return n ?? rest.toLowerCase();
    }
    case 'AlmaLinux':
    case 'Rocky Linux':
    case 'Red Hat':
    case 'Oracle Linux':
    case 'CentOS': {
      const n = numericPart(parts);
      return n === undefined ? rest.toLowerCase() : (n.split('.')[0] ?? n);
    }
    default:
      return rest.toLowerCase().replace(/[\s:]+/g, ':').replace(/(^|:)v(?=[0-9])/g, '$1');
  }
}

/**
 * Whether an advisory's affected ecosystem applies to a package's ecosystem: same base, and
 * the same canonical release (releaseKey) unless either side names none.
 */
export function releaseMatches(packageEcosystem: string, advisoryEcosystem: string): boolean {
  if (baseOf(packageEcosystem) !== baseOf(advisoryEcosystem)) return false;
  const wanted = releaseKey(packageEcosystem);
  const given = releaseKey(advisoryEcosystem);
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
